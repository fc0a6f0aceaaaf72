function joinProducts(sales, products) {
  const rows = [];
  sales.forEach((sale) => {
    const product = products.find((p) => p.sku === sale.sku); // expect: quadratic-lookup
    rows.push({ ...sale, product });
  });
  return rows;
}

module.exports = { joinProducts };
