// A list joined with itself by key, the same array searched twice per item (one finding),
// and deduplication by position.
function link(items, ids) {
  for (const item of items) {
    item.parent = items.find((p) => p.id === item.parentId); // expect: quadratic-lookup
    if (ids.includes(item.id) || ids.includes(item.parentId)) item.marked = true; // expect: quadratic-lookup
  }
  return items.filter((x, i) => items.indexOf(x) === i); // expect: quadratic-lookup
}

module.exports = { link };
