// Arguments that use the item or change in the loop, functions that do I/O, mutate their
// input, use the clock or do no iteration of their own.
interface Order { id: string; zone: string; lines: number[] }

function total(lines: number[]): number {
  let sum = 0;
  for (const l of lines) sum += l;
  return sum;
}

function stamp(orders: Order[]): number {
  for (const o of orders) o.id = o.id.trim();
  return Date.now();
}

function double(x: number): number {
  return x * 2;
}

async function fetchRates(zone: string) {
  for (const attempt of [1, 2]) console.log(attempt);
  return fetch(`https://rates.example/${zone}`);
}

export function summarize(orders: Order[], base: number[], region: string) {
  const seen: Order[] = [];
  for (const order of orders) {
    total(order.lines);
    seen.push(order);
    stamp(seen);
    double(base.length);
    fetchRates(region);
  }
  return seen;
}
