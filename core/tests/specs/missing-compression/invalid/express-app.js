const express = require('express');
const { Product } = require('./models');

const app = express(); // expect: missing-compression
app.use(express.json());

app.get('/api/products', async (req, res) => {
  res.json(await Product.findAll({ limit: 50 }));
});

app.listen(3000);
