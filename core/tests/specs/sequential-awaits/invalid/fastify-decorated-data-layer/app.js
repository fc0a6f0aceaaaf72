const fastify = require('fastify')();
const Db = require('./db');
const getThing = require('./api/get-thing');
fastify.decorate('db', new Db());
fastify.get('/thing', (req, res) => getThing(req, res, fastify));
fastify.listen({ port: 3000 });
