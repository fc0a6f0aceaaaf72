// The seed's scenarios on PostgreSQL, as a backend would write them. backlens analyses this
// file; scripts/fidelity.sh load-tests it (tests/fidelity/run.js).
const express = require('express');
const compression = require('compression');
const { Pool, Client } = require('pg');

const config = {
  host: '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: 'backlens',
  password: 'backlens',
  database: 'backlens_fidelity',
};
const pool = new Pool({ ...config, max: 10 });

const app = express();

app.get('/health', (req, res) => {
  res.json({ ok: true });
});

// N+1: the users, then each user's posts, one query per user.
app.get('/n1', async (req, res) => {
  const { rows: users } = await pool.query('SELECT id, name FROM users ORDER BY id');
  for (const user of users) {
    const { rows } = await pool.query('SELECT id, title, body FROM posts WHERE user_id = $1', [user.id]);
    user.posts = rows;
  }
  res.json(users);
});

// The same, batched: one query for every user's posts.
app.get('/batched', async (req, res) => {
  const { rows: users } = await pool.query('SELECT id, name FROM users ORDER BY id');
  const { rows: posts } = await pool.query('SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)', [
    users.map((u) => u.id),
  ]);
  for (const user of users) {
    user.posts = posts.filter((p) => p.user_id === user.id);
  }
  res.json(users);
});

// Three independent queries, one after another.
app.get('/sequential', async (req, res) => {
  const users = await pool.query('SELECT count(*) FROM users');
  const posts = await pool.query('SELECT count(*) FROM posts');
  const comments = await pool.query('SELECT count(*) FROM comments');
  res.json({ users: users.rows[0].count, posts: posts.rows[0].count, comments: comments.rows[0].count });
});

// The same three, together.
app.get('/parallel', async (req, res) => {
  const [users, posts, comments] = await Promise.all([
    pool.query('SELECT count(*) FROM users'),
    pool.query('SELECT count(*) FROM posts'),
    pool.query('SELECT count(*) FROM comments'),
  ]);
  res.json({ users: users.rows[0].count, posts: posts.rows[0].count, comments: comments.rows[0].count });
});

// A new connection for every request.
app.get('/connect', async (req, res) => {
  const client = new Client(config);
  await client.connect();
  const { rows } = await client.query('SELECT id, name FROM users WHERE id = $1 LIMIT 1', [1]);
  await client.end();
  res.json(rows[0]);
});

// The same query through the pool.
app.get('/pooled', async (req, res) => {
  const { rows } = await pool.query('SELECT id, name FROM users WHERE id = $1 LIMIT 1', [1]);
  res.json(rows[0]);
});

// A large JSON list (50 posts of ≈4 KB), sent as it is.
app.get('/large', async (req, res) => {
  const { rows } = await pool.query('SELECT id, user_id, title, body FROM posts ORDER BY id LIMIT 50');
  res.json(rows);
});

// The same list from an app that compresses its responses.
const gzipped = express();
gzipped.use(compression());
gzipped.get('/large-gz', async (req, res) => {
  const { rows } = await pool.query('SELECT id, user_id, title, body FROM posts ORDER BY id LIMIT 50');
  res.json(rows);
});

const port = Number(process.env.PORT || 3400);
app.listen(port, '127.0.0.1');
gzipped.listen(port + 1, '127.0.0.1');
