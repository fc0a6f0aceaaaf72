// A one-off script: not on any request path, so the finding is low.
async function backfill(users) {
  for (const user of users) {
    await Profile.findOne({ where: { userId: user.id } }); // expect: n-plus-one-query
  }
}
module.exports = { backfill };
