const Hapi = require('@hapi/hapi');
const Cachable = require('./cachable');

const server = Hapi.server({ port: 3000 });

server.route({
  method: 'GET',
  path: '/organisations/{id}',
  handler: async (request) => {
    const organisations = Cachable.getCache('organisations', { ttl: 60000 });
    const teams = Cachable.getCache('teams');
    return { organisations: organisations.name, teams: teams.name, id: request.params.id };
  },
});

server.start();
