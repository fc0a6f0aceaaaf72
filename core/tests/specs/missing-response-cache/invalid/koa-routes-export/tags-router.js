const Router = require('koa-router');
// The Knex instance made inline, as the repository's db module does.
const db = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

const router = new Router();

router.get('/tags', async ctx => { // expect: missing-response-cache
  const tags = await db('tags').select('name').limit(20);
  ctx.body = { tags: tags.map(t => t.name) };
});

module.exports = router.routes();
