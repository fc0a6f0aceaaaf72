// The seed's section 4.1 "Sorting Optimization", AFTER (single pass + partial sort): no
// `.sort(...).slice(0, k)` chain is left. (Its sort inside the loop runs on a buffer the
// loop truncates to 10: see sort-in-loop's valid case of the same name.)
function getTopUsers(users) {
  const scored = [];

  for (const user of users) {
    if (!user.isActive) continue;

    const score = calculateScore(user);
    scored.push({ ...user, score });

    // Keep only top 10 (partial sort)
    if (scored.length > 10) {
      scored.sort((a, b) => b.score - a.score);
      scored.length = 10;
    }
  }

  return scored.sort((a, b) => b.score - a.score);
}

module.exports = { getTopUsers };
