const { Pool } = require('pg');
const Redis = require('ioredis');
exports.pool = new Pool();
exports.redis = new Redis();
