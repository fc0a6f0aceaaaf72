import Fastify from 'fastify';
import { Comment } from './models.mjs';

const app = Fastify();

app.get('/api/comments', async (request) => {
  const comments = await Comment.find({ postId: request.query.postId }).sort({ createdAt: -1 }); // expect: unbounded-query
  return comments;
});
