// ES module Fastify app: a Redis client exists, so the rewrite uses it.
import Fastify from 'fastify';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const redis = new Redis(process.env.REDIS_URL);
const fastify = Fastify();

fastify.get('/api/products/:id', async (request, reply) => { // expect: missing-response-cache
  const product = await prisma.product.findUnique({ where: { id: request.params.id } });
  return product;
});

fastify.get('/api/sessions/:id', async (request) => {
  const session = await redis.get(`session:${request.params.id}`);
  return JSON.parse(session);
});

await fastify.listen({ port: 3000 });
