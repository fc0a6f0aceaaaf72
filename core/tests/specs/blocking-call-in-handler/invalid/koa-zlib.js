const Koa = require('koa');
const Router = require('@koa/router');
const zlib = require('zlib');

const app = new Koa();
const router = new Router();

router.get('/export', async (ctx) => {
  const rows = await Report.findAll({ limit: 1000 });
  ctx.set('Content-Encoding', 'gzip');
  ctx.body = zlib.gzipSync(JSON.stringify(rows)); // expect: blocking-call-in-handler
});

app.use(router.routes());
app.listen(3000);
