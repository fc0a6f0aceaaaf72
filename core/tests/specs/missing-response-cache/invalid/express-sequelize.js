// CommonJS Express app with no Redis client: the rewrite is a bounded in-memory map.
const express = require('express');
const { Post, Comment } = require('./models');

const app = express();

app.get('/api/posts/:id', async (req, res) => { // expect: missing-response-cache
  const post = await Post.findByPk(req.params.id);
  res.json(post);
});

app.get('/api/posts/:id/comments', async (req, res) => { // expect: missing-response-cache
  const comments = await Comment.findAll({ where: { postId: req.params.id }, limit: 20 });
  const total = await Comment.count({ where: { postId: req.params.id } });
  res.json({ comments, total });
});

app.listen(3000);
