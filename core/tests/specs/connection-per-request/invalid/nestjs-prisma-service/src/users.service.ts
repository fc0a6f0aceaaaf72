import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';

@Injectable()
export class UsersService {
  async list() {
    const prisma = new PrismaClient(); // expect: connection-per-request
    try {
      return await prisma.user.findMany({ take: 50 });
    } finally {
      await prisma.$disconnect();
    }
  }
}
