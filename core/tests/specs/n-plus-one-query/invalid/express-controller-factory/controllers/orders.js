module.exports = ({ pool }) => ({
  list: async (req, res) => {
    const { rows: orders } = await pool.query('SELECT * FROM orders WHERE user_id = $1', [req.user.id]);
    for (const order of orders) {
      const { rows } = await pool.query('SELECT * FROM order_items WHERE order_id = $1', [order.id]); // expect: n-plus-one-query
      order.items = rows;
    }
    res.json(orders);
  },
});
