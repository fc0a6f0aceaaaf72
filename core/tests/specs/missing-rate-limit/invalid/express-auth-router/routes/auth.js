const express = require('express');
const router = express.Router();

router.post('/login', async (req, res) => { // expect: missing-rate-limit
  res.json({ ok: true });
});

router.post('/logout', (req, res) => res.json({ ok: true }));

module.exports = router;
