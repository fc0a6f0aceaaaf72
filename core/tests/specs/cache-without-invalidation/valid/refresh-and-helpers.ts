// Writes that refresh the key, call an invalidation helper, or clear the cache.
import express from 'express';
import Redis from 'ioredis';
import { Product, Category } from './models';
import { invalidateCategory } from './cache';

const redis = new Redis();
const app = express();

app.get('/api/products/:id', async (req, res) => {
  const hit = await redis.get(`product:${req.params.id}`);
  if (hit) return res.json(JSON.parse(hit));
  const product = await Product.findByPk(req.params.id);
  await redis.setex(`product:${req.params.id}`, 600, JSON.stringify(product));
  res.json(product);
});

app.get('/api/categories/:id', async (req, res) => {
  const hit = await redis.get(`category:${req.params.id}`);
  if (hit) return res.json(JSON.parse(hit));
  const category = await Category.findByPk(req.params.id);
  await redis.set(`category:${req.params.id}`, JSON.stringify(category));
  res.json(category);
});

// Write-through: the same key is written with the new value.
app.put('/api/products/:id', async (req, res) => {
  await Product.update(req.body, { where: { id: req.params.id } });
  const product = await Product.findByPk(req.params.id);
  await redis.setex(`product:${req.params.id}`, 600, JSON.stringify(product));
  res.json(product);
});

app.patch('/api/categories/:id', async (req, res) => {
  await Category.update(req.body, { where: { id: req.params.id } });
  await invalidateCategory(req.params.id);
  res.sendStatus(204);
});

app.delete('/api/categories/:id', async (req, res) => {
  await Category.destroy({ where: { id: req.params.id } });
  await redis.flushdb();
  res.sendStatus(204);
});
