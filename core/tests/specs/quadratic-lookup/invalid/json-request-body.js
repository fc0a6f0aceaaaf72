// A list parsed from a request body holds whatever the client sent: unlike one stored column,
// it grows with the request, and searching it once per stored row is n·m.
const express = require('express');
const { Product } = require('./models');

const app = express();
app.use(express.text());

app.post('/api/stock/check', async (req, res) => {
  const wantedSkus = JSON.parse(req.body || '[]');
  const products = await Product.findAll({ limit: 5000 });
  res.json(products.filter((p) => wantedSkus.includes(p.sku))); // expect: quadratic-lookup
});

module.exports = app;
