const express = require('express');
const { notify } = require('../lib/push');

const router = express.Router();

router.post('/broadcast', async (req, res) => {
  await Promise.all(req.body.recipients.map((r) => notify(r.deviceToken, req.body.message))); // expect: unbounded-parallelism
  res.sendStatus(202);
});

module.exports = router;
