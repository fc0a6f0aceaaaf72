app.get('/api/report', async (req, res) => {
  // Results not kept: run for their effect, in order.
  await audit.log(req.user, 'report');
  await metrics.increment('report');
  // Not I/O that backlens can see.
  const a = await computeLocally(req.query.a);
  const b = await somethingElse(req.query.b);
  await sleep(10);
  // Awaits in a loop body belong to the loop rules.
  for (const id of req.query.ids) {
    const user = await User.findByPk(id);
    const posts = await Post.findAll({ where: { userId: id } });
    res.write(JSON.stringify({ user, posts, a, b }));
  }
  res.end();
});
