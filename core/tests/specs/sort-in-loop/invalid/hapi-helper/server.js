const Hapi = require('@hapi/hapi');
const { nearestStores } = require('./lib/nearest');

const server = Hapi.server({ port: 3000 });

server.route({
  method: 'POST',
  path: '/api/deliveries/plan',
  handler: async (request) => nearestStores(request.payload.orders, await Store.findAll()),
});

server.start();
