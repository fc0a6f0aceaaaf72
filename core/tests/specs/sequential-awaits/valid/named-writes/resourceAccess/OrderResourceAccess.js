const Redis = require('ioredis');
const { DB } = require('../config/database');

const redis = new Redis(process.env.REDIS_URL);

async function findById(orderId) {
  const cached = await redis.get(`Order_${orderId}`);
  if (cached) {
    return JSON.parse(cached);
  }
  return DB('Order').where({ orderId }).first();
}

async function updateById(orderId, data) {
  await DB('Order').where({ orderId }).update(data);
  return findById(orderId);
}

module.exports = { findById, updateById };
