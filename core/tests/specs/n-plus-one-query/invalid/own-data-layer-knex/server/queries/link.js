// The project's data layer: each function runs one Knex query.
const knex = require('../knex');

async function find(match) {
  return knex('links').where(match).first();
}

async function visits(linkId) {
  return knex('visits').where({ link_id: linkId }).select('*');
}

module.exports = { find, visits };
