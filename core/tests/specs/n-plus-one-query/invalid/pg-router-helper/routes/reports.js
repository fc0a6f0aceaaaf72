const { Router } = require('express');
const { totalsFor } = require('../lib/totals');
const router = Router();

router.get('/monthly', async (req, res) => {
  res.json(await totalsFor(req.query.accounts.split(',')));
});

module.exports = router;
