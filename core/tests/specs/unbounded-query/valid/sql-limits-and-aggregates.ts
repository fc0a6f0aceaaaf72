import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/api/orders', async (req, res) => {
  const { rows } = await pool.query('SELECT id, total FROM orders ORDER BY id DESC LIMIT $1', [20]);
  res.json(rows);
});

app.get('/api/orders/total', async (req, res) => {
  const { rows } = await pool.query('SELECT COUNT(*) AS n FROM orders');
  res.json(rows[0]);
});
