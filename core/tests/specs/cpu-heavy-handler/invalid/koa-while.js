const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

router.get('/fib', (ctx) => {
  let [a, b, n] = [0n, 1n, 0];
  while (n < ctx.query.n) { // expect: cpu-heavy-handler
    [a, b] = [b, a + b];
    n++;
  }
  ctx.body = { value: a.toString() };
});

app.use(router.routes());
app.listen(3000);
