import Fastify from 'fastify';

const server = Fastify(); // expect: missing-rate-limit

server.get('/api/items', async () => []);

await server.listen({ port: 3000 });
