const express = require('express');
const { Client } = require('pg');

const app = express();

app.get('/api/users', async (req, res) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL }); // expect: connection-per-request
  await client.connect();
  const result = await client.query('SELECT id, name FROM users LIMIT 50');
  await client.end();
  res.json(result.rows);
});
