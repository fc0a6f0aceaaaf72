import Koa from 'koa';
import Router from '@koa/router';

const app = new Koa(); // expect: missing-compression
const router = new Router();

router.get('/api/reports', async (ctx) => {
  ctx.body = await loadReports();
});

app.use(router.routes());
app.listen(3000);
