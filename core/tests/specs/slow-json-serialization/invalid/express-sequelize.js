// CommonJS Express: a 500-row page sent with res.json.
const express = require('express');
const { Post } = require('./models');

const app = express();

app.get('/api/posts', async (req, res) => {
  const posts = await Post.findAll({ attributes: ['id', 'title', 'createdAt'], limit: 500 });
  res.json(posts); // expect: slow-json-serialization
});
