// Connections made once at start-up, before listen(): no route reaches them.
import express from 'express';
import mongoose from 'mongoose';
import { PrismaClient } from '@prisma/client';
import knex from 'knex';

const prisma = new PrismaClient();
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
const app = express();

async function start() {
  await mongoose.connect(process.env.MONGO_URL);
  app.listen(3000);
}

app.get('/api/users', async (req, res) => {
  res.json(await db('users').select('id').limit(20));
});

app.get('/api/posts', async (req, res) => {
  res.json(await prisma.post.findMany({ take: 20 }));
});

start();
