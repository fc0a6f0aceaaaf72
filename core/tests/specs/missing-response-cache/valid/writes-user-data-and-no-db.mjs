// Writes, per-user reads and routes that never touch the database.
import express from 'express';
import { Order, Cart } from './models.mjs';

const app = express();

app.post('/api/orders', async (req, res) => {
  const order = await Order.create(req.body);
  res.status(201).json(order);
});

app.get('/api/cart', async (req, res) => {
  const cart = await Cart.findOne({ where: { userId: req.user.id } });
  res.json(cart);
});

app.get('/health', (req, res) => res.json({ ok: true }));

// hapi-style per-route cache option is a cache too.
export const route = {
  method: 'GET',
  path: '/api/orders/stats',
  options: { cache: { expiresIn: 60_000 } },
  handler: async () => Order.count(),
};
