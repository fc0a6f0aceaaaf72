const Hapi = require('@hapi/hapi');

const init = async () => {
  const server = Hapi.server({ port: 3000 });
  await server.register([{ plugin: require('./plugins/orders'), routes: { prefix: '/api' } }]);
  await server.start();
};

init();
