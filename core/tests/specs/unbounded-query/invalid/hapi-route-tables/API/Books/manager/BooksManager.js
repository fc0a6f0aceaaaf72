const knex = require('knex')({ client: 'mysql', connection: process.env.DB_URL });

async function find(req) {
  const filter = req.payload.filter || {};
  const books = await knex('books').select('*').where(filter).orderBy('createdAt', 'desc'); // expect: unbounded-query
  return books;
}

async function findById(req) {
  return knex('books').where({ bookId: req.payload.id }).first();
}

module.exports = { find, findById };
