// `items` is not stepped by the recursion: the cache must be keyed per list, so the finding
// advises a cache without rewriting.
export function best(items, i, capacity) { // expect: memoization-candidate
  if (i < 0 || capacity <= 0) return 0;
  const skip = best(items, i - 1, capacity);
  if (items[i].weight > capacity) return skip;
  const take = items[i].value + best(items, i - 1, capacity - items[i].weight);
  return Math.max(skip, take);
}
