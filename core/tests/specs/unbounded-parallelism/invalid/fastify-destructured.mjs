import Fastify from 'fastify';
import got from 'got';

const fastify = Fastify();

fastify.post('/api/link-check', async (request) => {
  const { urls } = request.body;
  const results = await Promise.allSettled(urls.map((url) => got.head(url))); // expect: unbounded-parallelism
  return results.map((r) => r.status);
});

await fastify.listen({ port: 3000 });
