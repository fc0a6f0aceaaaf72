const { setTimeout: sleep } = require('timers/promises');

app.post('/sync', async (req, res) => {
  // Deliberate throttling: one call per second to stay under a partner's rate limit.
  for (const account of req.body.accounts) {
    await Account.update({ synced: true }, { where: { id: account.id } });
    await sleep(1000);
  }
  // A cursor consumed as a stream.
  for await (const doc of Order.find({ open: true }).cursor()) {
    await doc.save();
  }
  res.sendStatus(204);
});
