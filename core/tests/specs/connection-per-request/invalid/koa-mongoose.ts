import Koa from 'koa';
import Router from '@koa/router';
import mongoose from 'mongoose';
import { Product } from './models';

const app = new Koa();
const router = new Router();

router.get('/api/products/:id', async (ctx) => {
  await mongoose.connect(process.env.MONGO_URL!); // expect: connection-per-request
  ctx.body = await Product.findById(ctx.params.id);
});

app.use(router.routes());
