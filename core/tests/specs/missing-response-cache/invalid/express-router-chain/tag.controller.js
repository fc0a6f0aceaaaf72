import { Router } from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const router = Router();

router.get('/tags', async (req, res) => { // expect: missing-response-cache
  const tags = await prisma.tag.findMany({ take: 10, orderBy: { articles: { _count: 'desc' } } });
  res.json({ tags: tags.map(t => t.name) });
});

export default router;
