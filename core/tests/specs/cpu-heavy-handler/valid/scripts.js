// A benchmark script: no route reaches it.
function burn(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(i);
  return x;
}

console.log(burn(Number(process.argv[2])));
