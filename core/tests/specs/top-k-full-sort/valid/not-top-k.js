// A k from the request, a slice not from the start, a whole sorted list, database sorts,
// a small constant array.
const express = require('express');
const app = express();

app.get('/api/products', async (req, res) => {
  const products = await Product.findAll();
  const limit = Number(req.query.limit);
  const page = products.sort((a, b) => a.price - b.price).slice(0, limit);
  const rest = products.sort((a, b) => a.price - b.price).slice(10, 20);
  const all = products.toSorted((a, b) => a.price - b.price);
  const cheapest = await Product.find().sort({ price: 1 }).limit(10);
  const sizes = ['m', 's', 'l'].sort().slice(0, 2);
  res.json({ page, rest, all, cheapest, sizes });
});

app.listen(3000);
