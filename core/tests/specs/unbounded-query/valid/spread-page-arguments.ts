// A page through a cursor-pagination helper: the helper passes take/skip/cursor as `args`,
// spread into the query's options (amori95917/connyct-node-api-nestjs-prisma-postgreSQL's
// followers/followings with prisma-relay-cursor-connection).
import express from 'express';
import { PrismaClient } from '@prisma/client';
import { findManyCursorConnection } from '@devoxa/prisma-relay-cursor-connection';

const prisma = new PrismaClient();
const app = express();

async function followers(userId: number, paginate: { first?: number; after?: string }) {
  const where = { followingId: userId };
  return findManyCursorConnection(
    async (args) => {
      const rows = await prisma.follow.findMany({ ...args, where, include: { follower: true } });
      return rows.map((row) => row.follower);
    },
    () => prisma.follow.count({ where }),
    { ...paginate },
  );
}

app.get('/users/:id/followers', async (req, res) => {
  res.json(await followers(Number(req.params.id), { first: Number(req.query.first) || 20 }));
});
