function primesUpTo(max) {
  const sieve = new Uint8Array(max + 1);
  const primes = [];
  for (let n = 2; n <= max; n++) { // expect: cpu-heavy-handler
    if (sieve[n]) continue;
    primes.push(n);
    for (let k = n * n; k <= max; k += n) sieve[k] = 1;
  }
  return primes;
}

module.exports = { primesUpTo };
