// The seed's 3.2 "Usage" handlers: the cache middleware before each handler is a cache.
const express = require('express');
const Redis = require('ioredis');
const { User, Post } = require('./models');

const app = express();
const redis = new Redis(process.env.REDIS_URL);
const cache = new Map();
const CACHE_TTL = 5 * 60 * 1000; // 5 minutes

function memoryCacheMiddleware(key, ttl = CACHE_TTL) {
  return (req, res, next) => {
    const cacheKey = typeof key === 'function' ? key(req) : key;
    const cached = cache.get(cacheKey);
    if (cached && Date.now() - cached.timestamp < ttl) {
      return res.json(cached.data);
    }
    const originalJson = res.json.bind(res);
    res.json = (data) => {
      cache.set(cacheKey, { data, timestamp: Date.now() });
      return originalJson(data);
    };
    next();
  };
}

function cacheMiddleware(keyFn, ttl = 300) {
  return async (req, res, next) => {
    const cacheKey = keyFn(req);
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
  };
}

app.get('/api/users',
  memoryCacheMiddleware(req => `users:${req.query.page || 1}`),
  async (req, res) => {
    const users = await User.findAll({ limit: 20 });
    res.json(users);
  }
);

app.get('/api/posts/:id', cacheMiddleware(req => `post:${req.params.id}`, 600), async (req, res) => {
  const post = await Post.findByPk(req.params.id);
  res.json(post);
});

app.put('/api/posts/:id', async (req, res) => {
  const post = await Post.update(req.body, { where: { id: req.params.id } });
  await redis.del(`post:${req.params.id}`);
  res.json(post);
});
