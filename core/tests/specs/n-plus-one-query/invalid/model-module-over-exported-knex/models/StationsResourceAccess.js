'use strict';

const { DB } = require('../config/database');

const tableName = 'Stations';

async function findById(id) {
  return DB(tableName).where({ stationsId: id }).first();
}

async function updateOne(id, data) {
  return DB(tableName).where({ stationsId: id }).update(data);
}

module.exports = { findById, updateOne };
