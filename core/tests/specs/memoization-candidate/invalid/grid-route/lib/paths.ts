export function countPaths(rows: number, cols: number): number {
  return paths(rows, cols);
}

// Paths through a grid moving right or down: (i - 1, j) and (i, j - 1) overlap.
function paths(i: number, j: number): number { // expect: memoization-candidate
  if (i === 0 || j === 0) return 1;
  return paths(i - 1, j) + paths(i, j - 1);
}
