import Fastify from 'fastify';
import fp from 'fastify-plugin';
import serviceApp from '../src/app.js';

export async function build() {
  const app = Fastify();
  app.register(fp(serviceApp));
  await app.ready();
  return app;
}
