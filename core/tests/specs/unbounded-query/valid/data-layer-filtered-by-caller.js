// A data layer's helpers take their filter from the caller (who passes one id or one user),
// or read one row by primary key.
const express = require('express');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

function get(match) {
  return knex('domains').where(match);
}

async function update(match, changes) {
  await knex('domains').where(match).update(changes);
  const updated = await knex('domains').select('*').where(match);
  return updated;
}

async function host(id) {
  const rows = await knex('hosts').where('id', id);
  return rows;
}

const app = express();
app.get('/api/domains', async (req, res) => {
  res.json(await get({ user_id: req.user.id }));
});
app.post('/api/domains/:id', async (req, res) => {
  res.json(await update({ id: req.params.id }, req.body));
});
app.get('/api/hosts/:id', async (req, res) => {
  res.json(await host(req.params.id));
});
app.listen(3000);
