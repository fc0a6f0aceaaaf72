// Awaits inside object and array literals run one after another, like any others.
const express = require('express');
const { User, Post, Comment } = require('./models');

const app = express();

app.get('/api/stats', async (req, res) => {
  res.json({ users: await User.count(), posts: await Post.count() }); // expect: sequential-awaits
});

app.get('/api/dashboard', async (req, res) => {
  const stats = {
    users: await User.count(), // expect: sequential-awaits
    comments: await Comment.count({ where: { flagged: true } }),
  };
  res.json(stats);
});

async function latest(userId) {
  return [await Post.findAll({ where: { userId }, limit: 5 }), await Comment.findAll({ where: { userId }, limit: 5 })]; // expect: sequential-awaits
}

app.get('/api/users/:id/latest', async (req, res) => {
  res.json(await latest(req.params.id));
});

app.listen(3000);
