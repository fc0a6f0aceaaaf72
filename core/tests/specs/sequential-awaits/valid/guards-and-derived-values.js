// An await that uses a value derived from an earlier result depends on it, even through a
// plain statement between them. (A guard between two independent reads no longer keeps them
// apart: invalid/guard-between-reads.js.)
const { Post, Team } = require('./models');

async function teamPosts(req, res) {
  const team = await Team.findByPk(req.params.id);
  const memberIds = team.members.map((m) => m.id);
  const posts = await Post.findAll({ where: { authorId: memberIds } });
  res.json({ team, posts });
}

async function guardedTeamPosts(req, res) {
  const team = await Team.findByPk(req.params.id);
  if (!team) return res.status(404).end();
  const posts = await Post.findAll({ where: { teamId: team.id } });
  res.json({ team, posts });
}

module.exports = { teamPosts, guardedTeamPosts };
