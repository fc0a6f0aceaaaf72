const Hapi = require('@hapi/hapi');

const init = async () => {
  const server = Hapi.server({ port: 3000 }); // expect: missing-rate-limit
  server.route({ method: 'GET', path: '/api/items', handler: () => [] });
  await server.start();
};
init();
