app.post('/api/normalise', async (req, res) => {
  const out = await Promise.all(req.body.items.map(async (item) => ({ ...item, name: item.name.trim() })));
  res.json(out);
});
