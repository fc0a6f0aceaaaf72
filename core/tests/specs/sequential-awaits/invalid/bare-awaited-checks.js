// Awaited checks whose results are dropped (rolfst/hapi_app's `await impl.assertThat…()`
// pairs, parse-server's uniqueness checks on signup): independent reads in series all the
// same. A bare awaited write keeps its place.
const { Organisation, Membership, User } = require('./models');

async function assertThatOrganisationExists(id) {
  const org = await Organisation.findByPk(id);
  if (!org) throw new Error('not found');
}

async function assertThatUserIsMember(userId, organisationId) {
  const m = await Membership.findOne({ where: { userId, organisationId } });
  if (!m) throw new Error('forbidden');
}

async function listNetworks(req, res) {
  await assertThatOrganisationExists(req.params.organisationId); // expect: sequential-awaits
  await assertThatUserIsMember(req.auth.id, req.params.organisationId);
  const user = await User.findByPk(req.auth.id);
  res.json({ user });
}

async function touch(req, res) {
  await User.update({ seenAt: new Date() }, { where: { id: req.auth.id } });
  await assertThatUserIsMember(req.auth.id, req.params.organisationId);
  res.end();
}

module.exports = { listNetworks, touch };
