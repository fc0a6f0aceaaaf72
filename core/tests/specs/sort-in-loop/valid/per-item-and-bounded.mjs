// Each item's own array, an array declared in the loop body, a bounded buffer, database
// sorts, a loop over a small constant list, a sort outside any loop.
export async function report(groups, users, db) {
  for (const group of groups) {
    group.members.sort((a, b) => a.name.localeCompare(b.name));
    const local = group.scores.slice();
    local.sort((a, b) => a - b);
    group.latest = await db.collection('events').find({ group: group.id }).sort({ at: -1 }).toArray();
  }
  const top = [];
  for (const user of users) {
    top.push(user);
    top.sort((a, b) => b.score - a.score);
    if (top.length > 3) top.pop();
  }
  for (const field of ['name', 'email']) {
    users.sort((a, b) => String(a[field]).localeCompare(String(b[field])));
  }
  const sorted = users.toSorted((a, b) => a.id - b.id);
  return { groups, top, sorted };
}
