import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PrismaService } from './prisma.service';
import { Post, User } from './models';

@Resolver(() => Post)
export class PostsResolver {
  constructor(private readonly prisma: PrismaService) {}

  @Query(() => [Post])
  posts() {
    return this.prisma.post.findMany({ take: 50, orderBy: { createdAt: 'desc' } });
  }

  @Mutation(() => Post, { name: 'publishPost' })
  publish(@Args('id', { type: () => Int }) id: number) {
    return this.prisma.post.update({ where: { id }, data: { published: true } });
  }

  // Runs once per post of the response: one user query per post.
  @ResolveField('author', () => User)
  author(@Parent() post: Post) {
    const { authorId } = post;
    return this.prisma.user.findUnique({ where: { id: authorId } }); // expect: n-plus-one-query
  }
}
