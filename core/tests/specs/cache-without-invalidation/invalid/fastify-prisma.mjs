// Cache-aside in the handler; PATCH forgets the key, DELETE removes it.
import Fastify from 'fastify';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const redis = new Redis();
const fastify = Fastify();

fastify.get('/api/products/:id', async (request) => {
  const hit = await redis.get(`product:${request.params.id}`);
  if (hit) return JSON.parse(hit);
  const product = await prisma.product.findUnique({ where: { id: request.params.id } });
  await redis.setex(`product:${request.params.id}`, 3600, JSON.stringify(product));
  return product;
});

fastify.patch('/api/products/:id', async (request) => {
  return prisma.product.update({ where: { id: request.params.id }, data: request.body }); // expect: cache-without-invalidation
});

fastify.delete('/api/products/:id', async (request, reply) => {
  await prisma.product.delete({ where: { id: request.params.id } });
  await redis.del(`product:${request.params.id}`);
  reply.code(204);
});
