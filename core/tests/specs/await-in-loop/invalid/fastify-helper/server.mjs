import Fastify from 'fastify';
import { getRate } from './lib/rates.mjs';

const fastify = Fastify();

fastify.post('/api/convert', async (request) => {
  const results = [];
  for (const line of request.body.lines) {
    const rate = await getRate(line.currency); // expect: await-in-loop
    results.push({ ...line, eur: line.amount * rate });
  }
  return results;
});

await fastify.listen({ port: 3000 });
