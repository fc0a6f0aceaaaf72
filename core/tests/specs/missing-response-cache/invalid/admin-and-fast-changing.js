// An admin-only report and a notification feed: a cache would help little (few requests, or
// data stale before it is reused), so both are low.
const express = require('express');
const { Order, Notification } = require('./models');
const { requireAdmin } = require('./auth');

const app = express();

app.get('/api/admin/orders', requireAdmin, async (req, res) => { // expect: missing-response-cache
  res.json(await Order.findAll({ limit: 50 }));
});

app.get('/api/notifications/recent', async (req, res) => { // expect: missing-response-cache
  res.json(await Notification.findAll({ limit: 20, order: [['createdAt', 'DESC']] }));
});

app.get('/api/products', async (req, res) => { // expect: missing-response-cache
  res.json(await Product.findAll({ limit: 50 }));
});

app.listen(3000);
