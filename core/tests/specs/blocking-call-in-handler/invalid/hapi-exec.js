'use strict';
const Hapi = require('@hapi/hapi');
const { execSync } = require('child_process');

const init = async () => {
  const server = Hapi.server({ port: 3000 });
  server.route({
    method: 'GET',
    path: '/version',
    handler: (request, h) => {
      const commit = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim(); // expect: blocking-call-in-handler
      return { commit };
    },
  });
  await server.start();
};

init();
