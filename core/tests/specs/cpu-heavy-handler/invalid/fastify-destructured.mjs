import Fastify from 'fastify';
import { createHash } from 'node:crypto';

const fastify = Fastify();

fastify.get('/api/proof-of-work', async (request) => {
  const { rounds, seed } = request.query;
  let digest = seed;
  for (let i = 0; i < rounds; i++) { // expect: cpu-heavy-handler
    digest = createHash('sha256').update(digest).digest('hex');
  }
  return { digest };
});

await fastify.listen({ port: 3000 });
