const express = require('express');
const { Product } = require('./models');

const router = express.Router();

router.get('/api/products', async (req, res) => {
  const products = await Product.findAll({ order: [['name', 'ASC']] }); // expect: unbounded-query
  res.json(products);
});

module.exports = router;
