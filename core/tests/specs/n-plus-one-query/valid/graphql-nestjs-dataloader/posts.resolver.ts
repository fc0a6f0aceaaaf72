import { Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PrismaClient } from '@prisma/client';
import DataLoader from 'dataloader';
import { Post, User } from './models';

const prisma = new PrismaClient();

@Resolver(() => Post)
export class PostsResolver {
  // One loader per request would be usual (request-scoped provider); the batch function is
  // what matters: one query for all the authors of a response.
  private readonly authors = new DataLoader<number, User>(async (ids) => {
    const users = await prisma.user.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(users.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id));
  });

  @Query(() => [Post])
  posts() {
    return prisma.post.findMany({ take: 50 });
  }

  @ResolveField('author', () => User)
  author(@Parent() post: Post) {
    return this.authors.load(post.authorId);
  }
}
