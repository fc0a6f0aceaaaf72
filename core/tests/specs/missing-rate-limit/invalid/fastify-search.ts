import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';

const app = Fastify();
await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });

app.get('/api/products/search', async (request) => { // expect: missing-rate-limit
  return searchProducts(request.query);
});

app.get('/api/health', async () => ({ ok: true }));
