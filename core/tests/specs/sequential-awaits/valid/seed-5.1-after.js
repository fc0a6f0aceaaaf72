// AFTER (parallel - fast)
async function getUserData(userId) {
  const [user, posts, comments] = await Promise.all([
    User.findByPk(userId), // 50ms
    Post.findAll({ where: { userId } }), // 80ms
    Comment.findAll({ where: { userId } }) // 60ms
  ]);

  return { user, posts, comments };
}
// Total time: max(50, 80, 60) = 80ms
