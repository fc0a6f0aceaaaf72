// TypeScript Koa router reading with Knex.
import Koa from 'koa';
import Router from '@koa/router';
import Knex from 'knex';

const knex = Knex({ client: 'pg', connection: process.env.DATABASE_URL });

const app = new Koa();
const router = new Router();

router.get('/api/categories', async (ctx: Koa.Context) => { // expect: missing-response-cache
  ctx.body = await knex('categories').select('id', 'name').orderBy('name').limit(100);
});

app.use(router.routes());
app.listen(3000);
