app.get('/api/orders/:id', async (req, res) => {
  // Each await uses what the previous one returned.
  const order = await Order.findByPk(req.params.id);
  const customer = await Customer.findByPk(order.customerId);
  const { data: rates } = await axios.get(`${FX_API}/rates/${customer.currency}`);
  const invoice = await Invoice.findOne({ where: { orderId: order.id, currency: rates.base } });
  res.json({ order, customer, invoice });
});

app.get('/api/me', async (req, res) => {
  const res1 = await fetch(`${API}/me`);
  const me = await res1.json();
  const settings = await Settings.findOne({ where: { userId: me.id } });
  res.json({ me, settings });
});
