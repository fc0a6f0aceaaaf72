// The seed's section 5.3 "Request Batching", BEFORE (N separate queries).
app.get('/api/feed', async (req, res) => {
  const posts = await Post.findAll({ limit: 50 });

  for (const post of posts) {
    post.author = await User.findByPk(post.userId); // expect: n-plus-one-query
  }

  res.json(posts);
});
