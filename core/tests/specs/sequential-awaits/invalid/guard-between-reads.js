// Two independent reads with a guard between them (flossbank/fastify-api's `org` then `user`
// lookups around `if (!org) return 404`, Outline's `authorize(user, 'read', document)`): the
// second read does not use the first, so both start together and the guard tests the result
// after the `Promise.all`. Writes still keep their order (the guard may be what prevents one).
const { User, Post, Organization } = require('./models');

async function profile(req, res) {
  const user = await User.findByPk(req.params.id); // expect: sequential-awaits
  if (!user) return res.status(404).end();
  const posts = await Post.findAll({ where: { authorId: req.params.id }, limit: 20 });
  res.json({ user, posts });
}

async function donate(req, res) {
  const org = await Organization.findByPk(req.body.organizationId);
  if (!org) {
    res.status(404);
    return res.send({ success: false });
  }
  await Organization.update({ donation: req.body.amount }, { where: { id: org.id } });
  res.send({ success: true });
}

module.exports = { profile, donate };
