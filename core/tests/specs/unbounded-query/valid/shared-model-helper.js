// A model function two routes share (growthbook's `getAllFeatures(context)`): one route
// sends the list, the other needs every row to compute from it. Paging the helper would cut
// the second short; the limit belongs at the route that sends the rows.
const express = require('express');
const { Feature } = require('./models');

async function getAllFeatures(orgId) {
  return Feature.findAll({ where: { orgId } });
}

const app = express();
app.get('/api/features', async (req, res) => {
  res.json(await getAllFeatures(req.org.id));
});
app.get('/api/features/stats', async (req, res) => {
  const features = await getAllFeatures(req.org.id);
  res.json({ archived: features.filter((f) => f.archived).length });
});
app.listen(3000);
