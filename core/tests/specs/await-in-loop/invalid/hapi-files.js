const Hapi = require('@hapi/hapi');
const fs = require('fs');
const path = require('path');

const server = Hapi.server({ port: 3000 });

server.route([
  {
    method: 'GET',
    path: '/bundle',
    handler: async (request) => {
      const parts = {};
      for (let i = 0; i < request.query.files.length; i++) {
        const name = request.query.files[i];
        parts[name] = await fs.promises.readFile(path.join('./snippets', name), 'utf8'); // expect: await-in-loop
      }
      return parts;
    },
  },
]);

server.start();
