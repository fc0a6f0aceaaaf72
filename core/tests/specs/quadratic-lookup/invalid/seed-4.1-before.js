// The seed's section 4.1 "Replace Inefficient Algorithms", BEFORE.
// BEFORE (O(n) lookup for each iteration = O(n²))
function enrichUsers(users, userData) {
  return users.map(user => ({
    ...user,
    data: userData.find(d => d.userId === user.id) // expect: quadratic-lookup
  }));
}
// Time complexity: O(n²) for n users

module.exports = { enrichUsers };
