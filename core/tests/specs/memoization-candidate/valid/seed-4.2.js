// The seed's section 4.2 "Memoization for Expensive Computations". Neither its BEFORE nor
// its AFTER is flagged: the BEFORE is a plain function (no overlapping recursion), and
// nothing here calls it repeatedly with the same argument — re-evaluation with
// loop-invariant arguments inside a loop is the rule's second shape, not implemented yet.

// Memoization decorator
function memoize(fn, keyFn = (...args) => JSON.stringify(args)) {
  const cache = new Map();

  return function(...args) {
    const key = keyFn(...args);

    if (cache.has(key)) {
      return cache.get(key);
    }

    const result = fn.apply(this, args);
    cache.set(key, result);
    return result;
  };
}

// BEFORE (recalculates every time)
function calculateUserScore(user) {
  // Expensive calculation
  let score = 0;
  score += user.posts * 10;
  score += user.comments * 5;
  score += user.likes * 2;
  score += complexAlgorithm(user.activity);
  return score;
}

// AFTER (memoized)
const calculateUserScoreMemo = memoize(
  (user) => {
    let score = 0;
    score += user.posts * 10;
    score += user.comments * 5;
    score += user.likes * 2;
    score += complexAlgorithm(user.activity);
    return score;
  },
  (user) => user.id // Cache key
);

function complexAlgorithm(activity) {
  return activity.length;
}

module.exports = { calculateUserScore, calculateUserScoreMemo };
