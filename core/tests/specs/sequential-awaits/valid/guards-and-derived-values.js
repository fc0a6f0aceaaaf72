// A guard between two awaits keeps their order (the second runs only when the first found
// something), and an await that uses a value derived from an earlier result depends on it.
const { User, Post, Team } = require('./models');

async function profile(req, res) {
  const user = await User.findByPk(req.params.id);
  if (!user) return res.status(404).end();
  const posts = await Post.findAll({ where: { authorId: req.params.id } });
  res.json({ user, posts });
}

async function teamPosts(req, res) {
  const team = await Team.findByPk(req.params.id);
  const memberIds = team.members.map((m) => m.id);
  const posts = await Post.findAll({ where: { authorId: memberIds } });
  res.json({ team, posts });
}

module.exports = { profile, teamPosts };
