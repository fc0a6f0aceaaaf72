// The seed's 3.2 in-memory cache, as written. Flagged: `cache.set` adds one entry per
// distinct key (`users:${page}` — any page number a client sends), and the TTL is only
// checked on read (`Date.now() - cached.timestamp < ttl`): an expired entry is skipped,
// never deleted, so the Map only grows.
const express = require('express');
const { User } = require('./models');

const app = express();
const cache = new Map(); // expect: unbounded-memory-cache
const CACHE_TTL = 5 * 60 * 1000; // 5 minutes

function cacheMiddleware(key, ttl = CACHE_TTL) {
  return (req, res, next) => {
    const cacheKey = typeof key === 'function' ? key(req) : key;
    const cached = cache.get(cacheKey);

    if (cached && Date.now() - cached.timestamp < ttl) {
      return res.json(cached.data);
    }

    // Override res.json to cache the response
    const originalJson = res.json.bind(res);
    res.json = (data) => {
      cache.set(cacheKey, { data, timestamp: Date.now() });
      return originalJson(data);
    };

    next();
  };
}

// Usage
app.get('/api/users',
  cacheMiddleware(req => `users:${req.query.page || 1}`),
  async (req, res) => {
    const users = await User.findAll({ limit: 20 });
    res.json(users);
  }
);
