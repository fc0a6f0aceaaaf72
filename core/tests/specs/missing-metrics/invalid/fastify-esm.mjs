import Fastify from 'fastify';

const fastify = Fastify({ logger: false }); // expect: missing-metrics
fastify.get('/api/items', async () => []);
await fastify.listen({ port: 3000 });
