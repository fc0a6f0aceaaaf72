import path from 'node:path';
import fastifyAutoload from '@fastify/autoload';

export default async function serviceApp(fastify, opts) {
  await fastify.register(fastifyAutoload, { dir: path.join(import.meta.dirname, 'plugins'), options: {} });
  fastify.register(fastifyAutoload, {
    dir: path.join(import.meta.dirname, 'routes'),
    autoHooks: true,
    options: { ...opts },
  });
}
