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

// Past a guard, an effect keeps its place (the guard protects it), and a read that returns
// what it found makes the next read a fallback.
const { sendInviteEmail, resetPassword } = require('./mail');

async function invite(req, res) {
  const member = await Team.findByPk(req.params.id);
  if (!member) return res.status(403).end();
  await sendInviteEmail(req.body.email);
  res.end();
}

async function reset(req, res) {
  const user = await Team.findByPk(req.params.id);
  if (!user) throw new Error('not found');
  const sent = await resetPassword(req.body.email);
  res.json({ sent });
}

async function cached(req, res) {
  const hit = await Team.findOne({ where: { slug: req.params.slug } });
  if (hit) return res.json(hit);
  const fresh = await Post.findAll({ where: { slug: req.params.slug }, limit: 20 });
  res.json(fresh);
}

module.exports.more = { invite, reset, cached };

// An awaited check guards what follows it (growthbook's `await assertCanControl…(…)` before
// the action it authorises).
async function control(req, res) {
  await assertCanControlSchedule(req.params.id);
  const result = await runScheduleAction(req.params.id);
  res.json(result);
}

async function assertCanControlSchedule(id) {
  const s = await Team.findByPk(id);
  if (!s) throw new Error('forbidden');
}

async function runScheduleAction(id) {
  return Team.findByPk(id);
}

module.exports.control = { control };
