const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const { Post, User, Comment } = require('./models');

const typeDefs = `#graphql
  type User { id: ID!, name: String! }
  type Comment { id: ID!, body: String! }
  type Post { id: ID!, title: String!, author: User!, comments: [Comment!]! }
  type Query { posts: [Post!]! }
`;

const resolvers = {
  Query: {
    posts: () => Post.findAll({ limit: 50, order: [['createdAt', 'DESC']] }),
  },
  Post: {
    // Once per post: 1 + N queries for a list of posts.
    author: (post) => User.findByPk(post.authorId), // expect: n-plus-one-query
    async comments(parent) {
      return Comment.findAll({ where: { postId: parent.id } }); // expect: n-plus-one-query
    },
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
startStandaloneServer(server, { listen: { port: 4000 } });
