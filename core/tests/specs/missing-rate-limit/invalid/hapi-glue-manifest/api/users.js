'use strict';
const knex = require('knex')({ client: 'mysql', connection: process.env.DATABASE_URL });
async function login(request) {
  const { username } = request.payload;
  return knex('users').where({ username }).first();
}
async function find(request) {
  return knex('users').where({ id: request.params.id }).first();
}
module.exports = { login, find };
