// backlens-args: items:5000
// The seed's section 4.1 "Sorting Optimization", BEFORE (multiple array iterations).
function getTopUsers(users) {
  return users
    .filter(u => u.isActive) // O(n)
    .map(u => ({ ...u, score: calculateScore(u) })) // O(n)
    .sort((a, b) => b.score - a.score) // O(n log n) // expect: top-k-full-sort
    .slice(0, 10); // O(1)
}
// Total: O(n log n)

module.exports = { getTopUsers };
