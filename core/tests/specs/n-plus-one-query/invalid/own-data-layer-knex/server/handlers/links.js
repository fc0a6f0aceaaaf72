const express = require('express');
const queries = require('../queries');
const stats = require('../services/stats');

const router = express.Router();

router.post('/api/links/lookup', async (req, res) => {
  const links = [];
  for (const address of req.body.addresses) {
    links.push(await queries.link.find({ address })); // expect: n-plus-one-query
  }
  const all = await Promise.all(links.map((l) => stats.linkStats(l))); // expect: n-plus-one-query
  res.json(all);
});

module.exports = router;
