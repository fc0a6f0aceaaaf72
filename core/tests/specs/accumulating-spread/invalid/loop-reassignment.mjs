export function collect(pages) {
  let rows = [];
  let meta = {};
  for (const page of pages) {
    rows = [...rows, ...page.rows]; // expect: accumulating-spread
    meta = { ...meta, [page.id]: page.count, last: page.id }; // expect: accumulating-spread
  }
  pages.forEach((page) => {
    meta = { ...meta, seen: true }; // expect: accumulating-spread
  });
  return { rows, meta };
}
