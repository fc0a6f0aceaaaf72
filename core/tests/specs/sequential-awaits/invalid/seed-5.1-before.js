// BEFORE (sequential - slow)
async function getUserData(userId) {
  const user = await User.findByPk(userId); // expect: sequential-awaits
  const posts = await Post.findAll({ where: { userId } }); // 80ms
  const comments = await Comment.findAll({ where: { userId } }); // 60ms

  return { user, posts, comments };
}
// Total time: 50 + 80 + 60 = 190ms
