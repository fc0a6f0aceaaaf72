import Fastify from 'fastify';
import { trending } from './trending.mjs';

const app = Fastify();
app.get('/api/trending', async () => trending(await loadPosts()));

async function loadPosts() {
  return [];
}

await app.listen({ port: 3000 });
