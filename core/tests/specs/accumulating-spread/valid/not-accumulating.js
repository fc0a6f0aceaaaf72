// Spreads that copy one item, not an accumulator; a reduce over a small constant array;
// reassignments outside loops or of variables declared in the loop body; writes already.
function shape(users, defaults) {
  const enriched = users.map((user) => ({ ...user, active: true }));
  const merged = users.reduce((acc, user) => ({ ...user, count: acc.count + 1 }), { count: 0 });
  const flags = ['read', 'write'].reduce((acc, flag) => ({ ...acc, [flag]: false }), {});
  let options = { ...defaults };
  options = { ...options, verbose: true };
  for (const user of users) {
    let row = { id: user.id };
    row = { ...row, name: user.name };
    console.log(row);
  }
  const byId = users.reduce((acc, user) => {
    acc[user.id] = user;
    return acc;
  }, {});
  const entries = Object.fromEntries(users.map((user) => [user.id, user]));
  return { enriched, merged, flags, options, byId, entries };
}

module.exports = { shape };
