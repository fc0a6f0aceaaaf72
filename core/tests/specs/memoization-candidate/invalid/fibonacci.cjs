// Exponential recursion: fib(n - 1) and fib(n - 2) recompute the same values.
function fib(n) { // expect: memoization-candidate
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

module.exports = { fib };
