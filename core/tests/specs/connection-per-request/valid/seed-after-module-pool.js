// The seed's section 8 AFTER: one pool at module scope, pool.query in the handler.
const { Pool } = require('pg');
const pool = new Pool({ max: 20, min: 5, idleTimeoutMillis: 30000 });

app.get('/api/users', async (req, res) => {
  const result = await pool.query('SELECT * FROM users');
  res.json(result.rows);
});
