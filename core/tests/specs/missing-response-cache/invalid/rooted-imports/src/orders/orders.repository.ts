import { prisma } from 'src/db';

export function recentOrders(take: number) {
  return prisma.order.findMany({ orderBy: { createdAt: 'desc' }, take });
}
