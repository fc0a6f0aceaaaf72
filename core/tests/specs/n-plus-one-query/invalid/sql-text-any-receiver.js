// SQL text is a query whatever the receiver: a SQLite-style store, a const bound to the
// statement, Sequelize's raw `query`, Prisma's tagged `$queryRaw`.
const express = require('express');
const store = require('./store');
const { sequelize } = require('./db');
const { prisma } = require('./prisma');

const app = express();

const GET_TAGS = 'SELECT name FROM tags WHERE post_id = ?';

app.get('/api/posts', async (req, res) => {
  const posts = await store.all('SELECT * FROM posts ORDER BY created_at DESC LIMIT 20');
  for (const post of posts) {
    post.tags = await store.all(GET_TAGS, [post.id]); // expect: n-plus-one-query
    post.likes = await sequelize.query('SELECT count(*) AS n FROM likes WHERE post_id = :id', { replacements: { id: post.id } }); // expect: n-plus-one-query
    post.author = await prisma.$queryRaw`SELECT * FROM users WHERE id = ${post.author_id}`; // expect: n-plus-one-query
    console.log('SELECT * FROM posts WHERE id = ?', post.id);
  }
  res.json(posts);
});

app.listen(3000);
