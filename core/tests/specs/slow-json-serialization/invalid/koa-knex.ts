// TypeScript Koa with Knex: the page size comes from the request.
import Koa from 'koa';
import Router from '@koa/router';
import Knex from 'knex';

const knex = Knex({ client: 'pg' });
const router = new Router();

router.get('/api/events', async (ctx) => {
  const events = await knex('events').select('id', 'type', 'at').limit(Number(ctx.query.limit ?? 100));
  ctx.body = events; // expect: slow-json-serialization
});

const app = new Koa();
app.use(router.routes());
