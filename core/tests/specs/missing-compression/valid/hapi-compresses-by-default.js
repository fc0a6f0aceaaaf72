// hapi compresses responses (gzip, deflate) by default: nothing to report.
const Hapi = require('@hapi/hapi');

const server = Hapi.server({ port: 3000 });
server.route({ method: 'GET', path: '/api/items', handler: () => items });
server.start();
