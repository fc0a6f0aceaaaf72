// umami's report queries: raw SQL that joins a `session` table (the analytics sessions, not a
// database session or transaction), run one after another by a Next.js route handler.
const { Pool } = require('pg');

const pool = new Pool();

async function rawQuery(sql, params) {
  const { rows } = await pool.query(sql, params);
  return rows;
}

module.exports = { rawQuery };
