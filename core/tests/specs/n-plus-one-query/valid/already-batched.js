// Per-item work that is already one query: IN / $in / Op.in / whereIn / ANY / In().
const { Op } = require('sequelize');
const { In } = require('typeorm');

app.get('/a', async (req, res) => {
  const users = await User.findAll();
  const ids = users.map((u) => u.id);
  const posts = await Post.findAll({ where: { userId: { [Op.in]: ids } } });
  const comments = await Comment.find({ postId: { $in: posts.map((p) => p._id) } });
  const teams = await knex('teams').whereIn('id', users.map((u) => u.teamId));
  const { rows } = await pool.query('SELECT * FROM likes WHERE user_id = ANY($1)', [ids]);
  const tags = await tagRepository.findBy({ id: In(ids) });
  const profiles = await prisma.profile.findMany({ where: { userId: { in: ids } } });
  res.json({ users, posts, comments, teams, rows, tags, profiles });
});
