const Hapi = require('@hapi/hapi');
const knex = require('knex')({ client: 'pg' });

const server = Hapi.server({ port: 3000 });

server.route({
  method: 'GET',
  path: '/teams',
  handler: async (request, h) => {
    const teams = await knex('teams').select('*');
    return Promise.all(teams.map((team) => knex('members').where({ team_id: team.id }))); // expect: n-plus-one-query
  },
});
