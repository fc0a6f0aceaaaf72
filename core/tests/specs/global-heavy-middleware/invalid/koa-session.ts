// Koa (TypeScript): body parser and session for every request, readiness check included.
import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import session from 'koa-session';

const app = new Koa();
app.keys = ['secret'];
app.use(bodyParser()); // expect: global-heavy-middleware
app.use(session(app));

const router = new Router();
router.get('/readyz', (ctx) => {
  ctx.body = 'ok';
});
app.use(router.routes());
app.listen(3000);
