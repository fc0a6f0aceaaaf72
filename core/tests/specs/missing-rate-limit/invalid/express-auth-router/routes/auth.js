const express = require('express');
const bcrypt = require('bcrypt');
const router = express.Router();

router.post('/login', async (req, res) => { // expect: missing-rate-limit
  const user = await User.findOne({ where: { email: req.body.email } });
  res.json({ ok: await bcrypt.compare(req.body.password, user.hash) });
});

router.post('/logout', (req, res) => res.json({ ok: true }));

module.exports = router;
