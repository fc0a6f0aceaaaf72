const fastify = require('fastify')();
const knex = require('knex');

fastify.get('/api/stats', async () => {
  const db = knex({ client: 'pg', connection: process.env.DATABASE_URL }); // expect: connection-per-request
  const rows = await db('stats').select('name', 'value').limit(20);
  await db.destroy();
  return rows;
});
