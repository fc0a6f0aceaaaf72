import { createSchema, createYoga } from 'graphql-yoga';
import { createServer } from 'node:http';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// The list resolver loads the posts and their authors in two queries; the field resolver
// reads what the parent already carries.
const resolvers = {
  Query: {
    async posts() {
      const posts = await prisma.post.findMany({ take: 50 });
      const ids = [...new Set(posts.map((p) => p.authorId))];
      const authors = await prisma.user.findMany({ where: { id: { in: ids } } });
      const byId = new Map(authors.map((a) => [a.id, a]));
      return posts.map((p) => ({ ...p, author: byId.get(p.authorId) }));
    },
  },
  Post: {
    author: (post) => post.author,
  },
};

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type User { id: ID!, name: String! }
    type Post { id: ID!, title: String!, author: User! }
    type Query { posts: [Post!]! }
  `,
  resolvers,
});

createServer(createYoga({ schema })).listen(4000);
