// Spreading options the code spells out adds no limit: still every row.
import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = express();

app.get('/follows', async (req, res) => {
  res.json(await prisma.follow.findMany({ ...{ where: { active: true } }, include: { user: true } })); // expect: unbounded-query
});
