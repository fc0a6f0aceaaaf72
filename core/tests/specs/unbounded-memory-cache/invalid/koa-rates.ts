// TypeScript: a typed Map on a Koa route.
import Koa from 'koa';
import Router from '@koa/router';
import axios from 'axios';

const rates: Map<string, number> = new Map(); // expect: unbounded-memory-cache
const router = new Router();

router.get('/rates/:pair', async (ctx) => {
  const pair = ctx.params.pair;
  if (!rates.has(pair)) {
    const { data } = await axios.get(`https://rates.example.com/${pair}`);
    rates.set(pair, data.rate);
  }
  ctx.body = { pair, rate: rates.get(pair) };
});

const app = new Koa();
app.use(router.routes());
