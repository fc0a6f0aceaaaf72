import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';

@Injectable()
export class PostsService {
  constructor(private readonly prisma: PrismaService) {}

  findOne(id: string) {
    return this.prisma.post.findUnique({ where: { id } });
  }

  tags() {
    return this.prisma.tag.findMany({ take: 100 });
  }
}
