// The SELECT is bound to a name; the receiver is a project's store.
const express = require('express');
const store = require('./store');

const app = express();

const ALL_EVENTS = `
  SELECT id, name, created_at
  FROM events
  ORDER BY created_at DESC`;

app.get('/api/events', async (req, res) => {
  const events = await store.all(ALL_EVENTS); // expect: unbounded-query
  res.json(events);
});

app.listen(3000);
