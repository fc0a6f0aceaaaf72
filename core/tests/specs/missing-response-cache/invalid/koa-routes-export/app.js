// From gothinkster/koa-knex-realworld-example: each router module exports `router.routes()`,
// and the API router is mounted under /api.
const Koa = require('koa');
const routes = require('./routes');

const app = new Koa();
app.use(routes.routes());
app.listen(3000);
