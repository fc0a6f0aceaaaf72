const fs = require('fs');

app.post('/api/posts', async (req, res) => {
  // Create, then read the same resource back.
  const post = await Post.create(req.body);
  const fresh = await Post.findByPk(req.body.id);
  // A write, then a read of another resource: "only if the write succeeded".
  const updated = await User.update({ lastPost: new Date() }, { where: { id: req.user.id } });
  const count = await Post.count();
  res.json({ post, fresh, updated, count });
});

app.post('/api/files', async (req, res) => {
  const written = await fs.promises.writeFile('./out.json', JSON.stringify(req.body));
  const text = await fs.promises.readFile('./out.json', 'utf8');
  const charge = await axios.post(`${PAY_API}/charges`, req.body.payment);
  const receipt = await axios.post(`${MAIL_API}/send`, { to: req.body.email, charge: 1 });
  res.json({ text, charge: charge.data, receipt: receipt.data });
});
