import Router from '@koa/router';
import knex from 'knex';

const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
export const router = new Router();

router.get('/api/events', async (ctx) => {
  ctx.body = await db('events').select('id', 'name').orderBy('starts_at'); // expect: unbounded-query
});
