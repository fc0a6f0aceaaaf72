// The seed's section 4.1 "Sorting Optimization", AFTER (single pass + partial sort).
// Deliberately NOT flagged: `scored.sort(...)` runs inside the loop, but on a bounded buffer
// — the loop truncates `scored` to 10 (`scored.length = 10`) right after sorting, so each
// sort is on at most 11 elements and the whole loop stays O(n · 11 log 11), linear in n.
// Moving the sort after the loop would change nothing asymptotically (and the buffer is
// the point of the fix). A binary insertion (top-k-full-sort's rewrite) is cheaper still,
// but that is a refinement of a correct fix, not a defect.
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
