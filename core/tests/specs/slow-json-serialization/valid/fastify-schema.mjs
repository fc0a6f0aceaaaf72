// Fastify with a response schema serialises with the compiled schema itself.
import Fastify from 'fastify';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const fastify = Fastify();

fastify.get('/api/products', {
  schema: {
    response: {
      200: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } },
    },
  },
}, async () => prisma.product.findMany({ take: 1000 }));
