'use strict';

// The Knex instance is made here and exported; the models import it
// (chaunnt/TemplateNodeJS_HapiAndMySQL's config/database.js).
const knex = require('knex')({
  client: 'mysql',
  connection: { host: process.env.DB_HOST, database: process.env.DB_NAME },
});

module.exports = {
  DB: knex,
};
