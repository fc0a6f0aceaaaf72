function nearestStores(orders, stores) {
  return orders.map((order) => {
    const byRating = stores.toSorted((a, b) => b.rating - a.rating); // expect: sort-in-loop
    return { order: order.id, store: byRating.find((s) => s.zone === order.zone) };
  });
}

module.exports = { nearestStores };
