const Koa = require('koa');
const Router = require('koa-router');
const Redis = require('ioredis');

const redis = new Redis();
const app = new Koa();
const router = new Router({ prefix: '/api' });

router.get('/home', async (ctx) => {
  const banner = await redis.get('home:banner'); // expect: sequential-awaits
  const featured = await Product.findAll({ where: { featured: true }, limit: 10 });
  ctx.body = { banner, featured };
});

app.use(router.routes());
app.listen(3000);
