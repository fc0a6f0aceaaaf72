import Fastify from 'fastify';

export function build() {
  const app = Fastify();
  app.get('/ping', async () => 'pong');
  return app;
}
