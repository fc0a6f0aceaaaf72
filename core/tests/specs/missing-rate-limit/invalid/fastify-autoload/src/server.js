// From fastify/demo: the app loads its plugins and routes with @fastify/autoload, so a
// route's path is its folder under routes/ plus what the file registers; the tests build
// their own throw-away app in test/helper.js.
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import serviceApp from './app.js';

const app = Fastify({ logger: true });
app.register(fp(serviceApp));
await app.listen({ port: process.env.PORT ?? 3000 });
