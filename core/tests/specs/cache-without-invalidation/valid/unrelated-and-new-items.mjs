// Only single items are cached: creating one has no stale entry; writes to other models
// are not the cache's business.
import express from 'express';
import Redis from 'ioredis';
import { Post, AuditLog } from './models.mjs';

const redis = new Redis();
const app = express();

app.get('/api/posts/:id', async (req, res) => {
  const hit = await redis.get(`post:${req.params.id}`);
  if (hit) return res.json(JSON.parse(hit));
  const post = await Post.findByPk(req.params.id);
  await redis.setex(`post:${req.params.id}`, 300, JSON.stringify(post));
  res.json(post);
});

app.post('/api/posts', async (req, res) => {
  const post = await Post.create(req.body);
  res.status(201).json(post);
});

app.put('/api/audit/:id', async (req, res) => {
  await AuditLog.update(req.body, { where: { id: req.params.id } });
  res.sendStatus(204);
});
