import Fastify from 'fastify';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const fastify = Fastify({ logger: true });
const root = path.resolve('docs');

fastify.get('/docs/:name', async (request, reply) => {
  const file = path.join(root, request.params.name);
  const info = statSync(file); // expect: blocking-call-in-handler
  reply.header('last-modified', info.mtime.toUTCString());
  return readFileSync(file, 'utf8'); // expect: blocking-call-in-handler
});

await fastify.listen({ port: 3000 });
