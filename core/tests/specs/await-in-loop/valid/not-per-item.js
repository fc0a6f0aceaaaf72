app.get('/api/regions', async (req, res) => {
  const out = {};
  // A literal array: small and constant.
  for (const region of ['eu', 'us', 'ap']) {
    out[region] = await fetch(`${STATUS_API}/${region}`);
  }
  // Loop-invariant: the call does not use the item (hoisting it is a different fix).
  for (const item of req.query.items) {
    const config = await redis.get('config');
    out[item] = config;
  }
  res.json(out);
});
