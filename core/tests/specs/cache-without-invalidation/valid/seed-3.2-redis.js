// The seed's 3.2 Redis example as written: the PUT route deletes `post:${id}`.
const express = require('express');
const Redis = require('ioredis');
const { Post } = require('./models');

const app = express();
const redis = new Redis(process.env.REDIS_URL);

async function cacheMiddleware(keyFn, ttl = 300) {
  return async (req, res, next) => {
    const cacheKey = keyFn(req);
    try {
      const cached = await redis.get(cacheKey);
      if (cached) {
        return res.json(JSON.parse(cached));
      }
      const originalJson = res.json.bind(res);
      res.json = async (data) => {
        await redis.setex(cacheKey, ttl, JSON.stringify(data));
        return originalJson(data);
      };
      next();
    } catch (error) {
      console.error('Cache error:', error);
      next();
    }
  };
}

app.get('/api/posts/:id', cacheMiddleware(req => `post:${req.params.id}`, 600), async (req, res) => {
  const post = await Post.findByPk(req.params.id);
  res.json(post);
});

app.put('/api/posts/:id', async (req, res) => {
  const post = await Post.update(req.body, { where: { id: req.params.id } });

  // Invalidate cache
  await redis.del(`post:${req.params.id}`);

  res.json(post);
});
