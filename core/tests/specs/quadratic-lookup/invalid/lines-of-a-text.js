// Lines of an uploaded file are a list of any length: searching them once per known SKU is
// n·m, unlike the fields of one comma-separated value.
const express = require('express');
const { Product } = require('./models');

const app = express();
app.use(express.text({ limit: '5mb' }));

app.post('/api/inventory/check', async (req, res) => {
  const lines = req.body.split('\n');
  const products = await Product.findAll({ attributes: ['sku'], limit: 5000 });
  const missing = products.filter((p) => !lines.includes(p.sku)); // expect: quadratic-lookup
  res.json({ missing: missing.map((p) => p.sku) });
});

module.exports = app;
