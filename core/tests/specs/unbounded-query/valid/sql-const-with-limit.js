// The bound SELECT has its LIMIT; the other is one row.
const express = require('express');
const store = require('./store');

const app = express();

const RECENT = 'SELECT id, name FROM events ORDER BY created_at DESC LIMIT 50';
const ONE = 'SELECT * FROM events WHERE id = ?';

app.get('/api/events', async (req, res) => {
  const events = await store.all(RECENT);
  const event = await store.get(ONE, [req.query.id]);
  res.json({ events, event });
});

app.listen(3000);
