// A query per item is an n-plus-one-query, reported once by that rule.
app.get('/api/users', async (req, res) => {
  const users = await User.findAll();
  for (const user of users) {
    user.posts = await Post.findAll({ where: { userId: user.id } });
    user.profile = await loadProfile(user.id);
  }
  res.json(users);
});

async function loadProfile(id) {
  return Profile.findOne({ where: { userId: id } });
}
