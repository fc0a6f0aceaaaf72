import Fastify from 'fastify';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = Fastify();

app.get('/authors', async (request, reply) => {
  const authors = await prisma.author.findMany();
  const withBooks = [];
  for (const author of authors) {
    const books = await prisma.book.findMany({ where: { authorId: author.id } }); // expect: n-plus-one-query
    withBooks.push({ ...author, books });
  }
  return withBooks;
});
