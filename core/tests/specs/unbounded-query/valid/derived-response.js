// The rows feed a computed value; the response is not the list itself.
const { Router } = require('express');
const { joinProducts } = require('../lib/join');

const router = Router();

router.get('/sales', async (req, res) => {
  const sales = await Sale.findAll();
  const products = await Product.findAll();
  res.json(joinProducts(sales, products));
});

module.exports = router;
