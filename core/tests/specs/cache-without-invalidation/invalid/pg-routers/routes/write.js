const router = require('express').Router();
const { pool } = require('../db');

router.delete('/:id', async (req, res) => {
  await pool.query('DELETE FROM orders WHERE id = $1', [req.params.id]); // expect: cache-without-invalidation
  res.sendStatus(204);
});
module.exports = router;
