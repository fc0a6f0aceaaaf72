import Fastify from 'fastify';

const app = Fastify();
app.register(import('./routes/authors.mjs'), { prefix: '/authors' });
await app.listen({ port: 3000 });
