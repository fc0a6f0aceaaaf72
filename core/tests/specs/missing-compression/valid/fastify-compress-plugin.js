const fastify = require('fastify')();
fastify.register(require('@fastify/compress'), { global: true });
fastify.get('/api/items', async () => []);
fastify.listen({ port: 3000 });
