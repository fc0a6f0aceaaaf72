// The seed's section 3.1 "Fix N+1 Query Problems", BEFORE.
app.get('/api/users', async (req, res) => {
  const users = await User.findAll(); // 1 query

  for (const user of users) {
    // N additional queries (1 per user)
    user.posts = await Post.findAll({ where: { userId: user.id } }); // expect: n-plus-one-query
  }

  res.json(users);
});
// Total: 1 + N queries for N users
