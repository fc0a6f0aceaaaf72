// Caching delegated to HTTP: Cache-Control and ETag headers, in Express, Fastify and Koa.
import express from 'express';
import Fastify from 'fastify';
import Router from '@koa/router';
import { Product } from './models';

const app = express();
app.get('/api/products', async (req, res) => {
  const products = await Product.find().limit(50);
  res.set('Cache-Control', 'public, max-age=60');
  res.json(products);
});

const fastify = Fastify();
fastify.get('/api/products/:id', async (request, reply) => {
  const product = await Product.findById(request.params.id);
  reply.header('ETag', `"${product.version}"`);
  return product;
});

const router = new Router();
router.get('/api/brands', async (ctx) => {
  ctx.set('Cache-Control', 'public, max-age=300');
  ctx.body = await Product.distinct('brand');
});
