import Koa from 'koa';
import Router from '@koa/router';
import { indexBySku } from './lib/index-by-sku.mjs';

const app = new Koa();
const router = new Router();

router.get('/api/inventory', async (ctx) => {
  const items = await Item.findAll();
  ctx.body = indexBySku(items);
});

app.use(router.routes());
app.listen(3000);
