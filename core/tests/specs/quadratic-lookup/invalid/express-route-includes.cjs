const express = require('express');
const app = express();

app.post('/api/orders/filter', (req, res) => {
  const { orders, blockedIds } = req.body;
  const allowedSkus = req.body.skus;
  const visible = orders.filter((order) => !blockedIds.includes(order.customerId)); // expect: quadratic-lookup
  for (const order of visible) {
    if (allowedSkus.indexOf(order.sku) !== -1) { // expect: quadratic-lookup
      order.allowed = true;
    }
  }
  res.json(visible);
});

app.listen(3000);
