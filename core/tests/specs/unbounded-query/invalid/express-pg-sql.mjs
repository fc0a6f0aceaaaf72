import express from 'express';
import pg from 'pg';

const pool = new pg.Pool();
const app = express();

app.get('/api/orders', async (req, res) => {
  const { rows } = await pool.query('SELECT id, total, created_at FROM orders ORDER BY created_at DESC'); // expect: unbounded-query
  res.json({ orders: rows });
});
