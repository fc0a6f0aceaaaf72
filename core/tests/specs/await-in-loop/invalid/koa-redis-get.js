const Koa = require('koa');
const Router = require('@koa/router');
const { createClient } = require('redis');

const redis = createClient();
const app = new Koa();
const router = new Router();

router.post('/prices', async (ctx) => {
  const prices = [];
  for (const sku of ctx.request.body.skus) {
    const cached = await redis.get(`price:${sku}`); // expect: await-in-loop
    prices.push(JSON.parse(cached));
  }
  ctx.body = prices;
});

app.use(router.routes());
app.listen(3000);
