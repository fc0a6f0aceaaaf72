app.get('/api/status', async (req, res) => {
  const regions = await Promise.all(['eu', 'us', 'ap'].map((r) => fetch(`${STATUS}/${r}`)));
  const top = await Product.findAll({ order: [['sales', 'DESC']], limit: 10 });
  const images = await Promise.all(top.map((p) => fetch(`${IMAGES}/${p.id}`)));
  res.json({ regions, images });
});
