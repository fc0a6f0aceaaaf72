import { test } from 'node:test';
import Fastify from 'fastify';

test('env is loaded', async (t) => {
  const fastify = Fastify();
  t.after(() => fastify.close());
  await fastify.ready();
});
