import Fastify from 'fastify';
import cors from '@fastify/cors';

const fastify = Fastify({ logger: true }); // expect: missing-compression
await fastify.register(cors);

fastify.get('/api/orders', async () => {
  return fastify.db.orders.list();
});

await fastify.listen({ port: 3000 });
