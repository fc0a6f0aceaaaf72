// Small pages, single rows, and unbounded lists (unbounded-query's finding) are not this rule's.
const express = require('express');
const { Post, Tag } = require('./models');

const app = express();

app.get('/api/posts/recent', async (req, res) => {
  const posts = await Post.findAll({ limit: 10 });
  res.json(posts);
});

app.get('/api/posts/:id', async (req, res) => {
  const post = await Post.findByPk(req.params.id);
  res.json(post);
});

app.get('/api/tags', async (req, res) => {
  const tags = await Tag.findAll();
  res.json(tags);
});
