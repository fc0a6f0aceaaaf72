const { profileCache } = require('./cache');
const { Profile } = require('./models');

async function getProfile(id) {
  if (profileCache.has(id)) return profileCache.get(id);
  const profile = await Profile.findByPk(id);
  profileCache.set(id, profile);
  return profile;
}

module.exports = { getProfile };
