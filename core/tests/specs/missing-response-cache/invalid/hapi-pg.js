// hapi route reading with node-postgres.
const Hapi = require('@hapi/hapi');
const { Pool } = require('pg');

const pool = new Pool();

const init = async () => {
  const server = Hapi.server({ port: 3000 });
  server.route({ // expect: missing-response-cache
    method: 'GET',
    path: '/api/countries',
    handler: async (request, h) => {
      const { rows } = await pool.query('SELECT code, name FROM countries ORDER BY name LIMIT 300');
      return rows;
    },
  });
  await server.start();
};

init();
