import { prisma } from '@/lib/prisma';

export async function GET(request: Request, { params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const members = await prisma.teamMember.findMany({ where: { teamId } });
  const users = [];
  for (const member of members) {
    users.push(await prisma.user.findUnique({ where: { id: member.userId } })); // expect: n-plus-one-query
  }
  return Response.json(users);
}
