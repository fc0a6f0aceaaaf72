// A handler called with the Fastify instance as its context (flossbank's routes:
// `(req, res) => handler(req, res, fastify)`), reading through the data layer decorated on it
// (`fastify.decorate('db', new Db())`): two independent reads in sequence.
module.exports = async (req, res, ctx) => {
  const user = await ctx.db.user.get({ userId: req.session.userId }); // expect: sequential-awaits
  const organization = await ctx.db.organization.get({ orgId: req.query.orgId });
  res.send({ user, organization });
};

module.exports.update = async (req, res, ctx) => {
  // A write keeps its place: the read after it may depend on it.
  await ctx.db.user.updateEmail({ userId: req.session.userId, email: req.body.email });
  const user = await ctx.db.user.get({ userId: req.session.userId });
  res.send({ user });
};
