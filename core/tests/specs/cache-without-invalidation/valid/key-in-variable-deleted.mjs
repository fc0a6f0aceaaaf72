// The same cache with the key in a variable, and the write deletes it: nothing to report.
import Fastify from 'fastify';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const redis = new Redis();
const fastify = Fastify();

fastify.get('/api/products/:id', async (request) => {
  const key = `product:${request.params.id}`;
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit);
  const product = await prisma.product.findUnique({ where: { id: request.params.id } });
  await redis.set(key, JSON.stringify(product), 'EX', 3600);
  return product;
});

fastify.patch('/api/products/:id', async (request) => {
  const product = await prisma.product.update({ where: { id: request.params.id }, data: request.body });
  const key = `product:${request.params.id}`;
  await redis.del(key);
  return product;
});
