const { Pool } = require('pg');
const pool = new Pool();

async function totalsFor(accountIds) {
  const totals = {};
  for (const accountId of accountIds) {
    const { rows } = await pool.query('SELECT sum(amount) AS total FROM payments WHERE account_id = $1', [accountId]); // expect: n-plus-one-query
    totals[accountId] = rows[0].total;
  }
  return totals;
}

module.exports = { totalsFor };
