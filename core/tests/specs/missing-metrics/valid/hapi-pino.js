const Hapi = require('@hapi/hapi');

const start = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register({ plugin: require('hapi-pino') });
  server.route({ method: 'GET', path: '/api/items', handler: () => [] });
  await server.start();
};
start();
