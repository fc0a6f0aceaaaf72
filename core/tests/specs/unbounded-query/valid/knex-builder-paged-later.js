// A data layer builds the query in a variable and pages it in a statement of its own.
const express = require('express');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

async function getAdmin(match, params) {
  const query = knex('links').select('id', 'address', 'target');

  Object.entries(match).forEach(([key, value]) => {
    query.andWhere(key, value);
  });

  query
    .orderBy('links.id', 'desc')
    .offset(params.skip)
    .limit(params.limit);

  return query;
}

const app = express();
app.get('/api/admin/links', async (req, res) => {
  res.json(await getAdmin({}, { skip: 0, limit: 20 }));
});
app.listen(3000);
