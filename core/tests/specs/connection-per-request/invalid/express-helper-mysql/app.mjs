import express from 'express';
import { findOrder } from './orders.mjs';

const app = express();
app.get('/api/orders/:id', async (req, res) => {
  res.json(await findOrder(req.params.id));
});
