interface Order { id: string; status: string; total: number }

export function groupTotals(orders: Order[], seed: Record<string, number>) {
  return orders.reduce((totals, order) => {
    const current = totals[order.status] ?? 0;
    return { ...totals, [order.status]: current + order.total }; // expect: accumulating-spread
  }, seed);
}

export function ids(orders: Order[]): string[] {
  return orders.reduceRight((list: string[], order) => [...list, order.id], []); // expect: accumulating-spread
}
