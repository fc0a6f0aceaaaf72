export function indexBySku(items) {
  return items.reduce(
    (bySku, item) => ({
      ...bySku, // expect: accumulating-spread
      [item.sku]: { name: item.name, stock: item.stock },
    }),
    {},
  );
}
