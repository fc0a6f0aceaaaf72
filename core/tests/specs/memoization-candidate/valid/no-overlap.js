// Recursions whose sub-problems do not repeat: a tree walk, merge sort's halves, a single
// self-call; and a function that already caches.
function depth(node) {
  if (!node) return 0;
  return 1 + Math.max(depth(node.left), depth(node.right));
}

function mergeSort(xs) {
  if (xs.length < 2) return xs;
  const mid = xs.length >> 1;
  return merge(mergeSort(xs.slice(0, mid)), mergeSort(xs.slice(mid)));
}

function factorial(n) {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

const memo = new Map();
function fib(n) {
  if (memo.has(n)) return memo.get(n);
  const r = n < 2 ? n : fib(n - 1) + fib(n - 2);
  memo.set(n, r);
  return r;
}

function merge(a, b) {
  return [...a, ...b].sort((x, y) => x - y);
}

module.exports = { depth, mergeSort, factorial, fib };
