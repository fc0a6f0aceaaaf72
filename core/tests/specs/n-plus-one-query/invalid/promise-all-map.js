const express = require('express');
const { User, Order } = require('./models');
const router = express.Router();

router.get('/customers', async (req, res) => {
  const customers = await User.findAll({ where: { role: 'customer' } });
  await Promise.all(
    customers.map(async (customer) => {
      customer.orders = await Order.findAll({ where: { customerId: customer.id } }); // expect: n-plus-one-query
    }),
  );
  res.json(customers);
});

module.exports = router;
