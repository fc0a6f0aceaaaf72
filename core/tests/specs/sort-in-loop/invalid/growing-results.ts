interface Hit { id: string; score: number }

export function search(queries: string[], index: Map<string, Hit[]>): Hit[] {
  const results: Hit[] = [];
  queries.forEach((q) => {
    for (const hit of index.get(q) ?? []) {
      results.push(hit);
    }
    results.sort((a, b) => b.score - a.score); // expect: sort-in-loop
  });
  return results;
}

export function rank(rows: Hit[], weights: number[]) {
  return rows.map((row) => ({ ...row, weight: [...weights].sort((a, b) => b - a)[0] })); // expect: sort-in-loop
}
