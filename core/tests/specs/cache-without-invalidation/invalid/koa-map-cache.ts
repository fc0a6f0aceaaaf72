// An in-memory Map keyed per user; the update route never deletes the entry.
import Koa from 'koa';
import Router from '@koa/router';
import { User } from './models';

const cache = new Map<string, unknown>();
const router = new Router();

router.get('/users/:id', async (ctx) => {
  const key = `user:${ctx.params.id}`;
  if (cache.has(key)) {
    ctx.body = cache.get(key);
    return;
  }
  const user = await User.findById(ctx.params.id).lean();
  cache.set(`user:${ctx.params.id}`, user);
  ctx.body = user;
});

router.put('/users/:id', async (ctx) => {
  ctx.body = await User.findByIdAndUpdate(ctx.params.id, ctx.request.body, { new: true }); // expect: cache-without-invalidation
});

const app = new Koa();
app.use(router.routes());
