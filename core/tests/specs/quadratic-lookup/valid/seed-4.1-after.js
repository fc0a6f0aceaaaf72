// The seed's section 4.1, AFTER (O(n) with Map).
function enrichUsers(users, userData) {
  const dataMap = new Map(
    userData.map(d => [d.userId, d])
  ); // O(n) to build map

  return users.map(user => ({
    ...user,
    data: dataMap.get(user.id) // O(1) lookup
  }));
}
// Time complexity: O(n)

module.exports = { enrichUsers };
