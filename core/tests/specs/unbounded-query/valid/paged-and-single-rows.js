const express = require('express');
const { Product, User } = require('./models');

const app = express();

app.get('/api/products', async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const products = await Product.findAll({ limit, offset: Number(req.query.offset) || 0 });
  res.json(products);
});

app.get('/api/users/:id', async (req, res) => {
  res.json(await User.findByPk(req.params.id));
});

app.get('/api/users/count', async (req, res) => {
  const users = await User.findAll({ attributes: ['id'] });
  res.json({ count: users.length });
});
