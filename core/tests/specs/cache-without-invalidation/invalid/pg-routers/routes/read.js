const router = require('express').Router();
const { pool, redis } = require('../db');

async function loadOrder(id) {
  const hit = await redis.get('order:' + id);
  if (hit) return JSON.parse(hit);
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
  await redis.setex('order:' + id, 900, JSON.stringify(rows[0]));
  return rows[0];
}

router.get('/:id', async (req, res) => res.json(await loadOrder(req.params.id)));
module.exports = router;
