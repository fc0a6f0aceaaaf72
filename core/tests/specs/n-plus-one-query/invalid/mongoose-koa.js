const Koa = require('koa');
const Router = require('@koa/router');
const mongoose = require('mongoose');
const Comment = mongoose.model('Comment', new mongoose.Schema({ postId: String, body: String }));
const Post = mongoose.model('Post', new mongoose.Schema({ title: String }));

const app = new Koa();
const router = new Router();

router.get('/posts', async (ctx) => {
  const posts = await Post.find().lean();
  for (let i = 0; i < posts.length; i++) {
    posts[i].comments = await Comment.find({ postId: posts[i]._id }); // expect: n-plus-one-query
  }
  ctx.body = posts;
});

app.use(router.routes());
