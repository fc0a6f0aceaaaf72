// ES module: JSON.stringify of a Prisma page written by hand.
import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = express();

app.get('/api/products', async (req, res) => {
  const products = await prisma.product.findMany({ take: 1000 });
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(products)); // expect: slow-json-serialization
});
