// Bounded caches: lru-cache, quick-lru, a size check, TTL deletion, periodic clearing.
const express = require('express');
const { LRUCache } = require('lru-cache');
const QuickLRU = require('quick-lru');

const app = express();
const users = new LRUCache({ max: 500, ttl: 60_000 });
const tokens = new QuickLRU({ maxSize: 1000 });
const pages = new Map();
const sessions = new Map();
const hits = new Map();

setInterval(() => hits.clear(), 60_000);

app.get('/api/users/:id', async (req, res) => {
  let user = users.get(req.params.id);
  if (!user) {
    user = await loadUser(req.params.id);
    users.set(req.params.id, user);
  }
  tokens.set(req.params.id, Date.now());
  res.json(user);
});

app.get('/api/pages/:slug', async (req, res) => {
  const hit = pages.get(req.params.slug);
  if (hit) return res.json(hit);
  const page = await loadPage(req.params.slug);
  if (pages.size >= 1000) pages.delete(pages.keys().next().value);
  pages.set(req.params.slug, page);
  res.json(page);
});

app.get('/api/sessions/:id', (req, res) => {
  const s = sessions.get(req.params.id);
  if (s && s.expires < Date.now()) {
    sessions.delete(req.params.id);
    return res.sendStatus(404);
  }
  sessions.set(req.params.id, { expires: Date.now() + 60_000 });
  hits.set(req.ip, (hits.get(req.ip) || 0) + 1);
  res.json(s);
});
