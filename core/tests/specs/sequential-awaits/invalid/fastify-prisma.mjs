import Fastify from 'fastify';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const fastify = Fastify();

fastify.get('/api/users/:id/summary', async (request) => {
  const id = Number(request.params.id);
  const user = await prisma.user.findUnique({ where: { id } }); // expect: sequential-awaits
  const orderCount = await prisma.order.count({ where: { userId: id } });
  const lastLogin = await prisma.session.findFirst({ where: { userId: id }, orderBy: { createdAt: 'desc' } });
  return { user, orderCount, lastLogin };
});

await fastify.listen({ port: 3000 });
