const express = require('express');
const app = express();

app.get('/api/orders', async (req, res) => {
  const orders = await Order.findAll();
  const products = await Product.findAll();
  for (const order of orders) {
    const ranked = products.sort((a, b) => b.sales - a.sales); // expect: sort-in-loop
    order.suggestion = ranked.find((p) => p.category === order.category);
  }
  res.json(orders);
});

app.listen(3000);
