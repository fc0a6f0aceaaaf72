const Hapi = require('@hapi/hapi');
const { primesUpTo } = require('./lib/math');

const server = Hapi.server({ port: 3000 });

server.route({
  method: 'POST',
  path: '/primes',
  handler: (request) => ({ primes: primesUpTo(request.payload.max) }),
});

server.start();
