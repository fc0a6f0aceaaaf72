import Koa from 'koa';

const app = new Koa(); // expect: missing-metrics
app.use(async (ctx) => {
  ctx.body = { ok: true };
});
app.listen(3000);
