// A cached list: creating an item makes it stale too.
const express = require('express');
const { createClient } = require('redis');
const { Article } = require('./models');

const client = createClient();
const app = express();

app.get('/api/articles/latest', async (req, res) => {
  const cached = await client.get('articles:latest');
  if (cached) return res.json(JSON.parse(cached));
  const articles = await Article.findAll({ order: [['createdAt', 'DESC']], limit: 10 });
  await client.set('articles:latest', JSON.stringify(articles), { EX: 120 });
  res.json(articles);
});

app.post('/api/articles', async (req, res) => {
  const article = await Article.create(req.body); // expect: cache-without-invalidation
  res.status(201).json(article);
});
