const Koa = require('koa');
const ratelimit = require('koa-ratelimit');

const app = new Koa();
app.use(ratelimit({ driver: 'memory', db: new Map(), duration: 60000, max: 100 }));
app.use(async (ctx) => {
  ctx.body = 'ok';
});
app.listen(3000);
