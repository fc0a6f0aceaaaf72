// Loops whose next iteration depends on this one's awaited result: not batchable.
app.get('/export', async (req, res) => {
  // Cursor pagination.
  let cursor = null;
  const all = [];
  do {
    const page = await Event.findAll({ where: cursor ? { id: { gt: cursor } } : {}, limit: 500 });
    all.push(...page);
    cursor = page.length ? page[page.length - 1].id : null;
  } while (cursor);

  // Page pagination that stops on an empty page.
  for (let page = 0; ; page++) {
    const rows = await Audit.findAll({ offset: page * 100, limit: 100 });
    if (rows.length === 0) break;
    all.push(...rows);
  }

  // Queue draining / polling until done.
  let job = await Job.findOne({ where: { status: 'pending' } });
  while (job) {
    await job.update({ status: 'done' });
    job = await Job.findOne({ where: { status: 'pending' } });
  }
  res.json(all);
});

async function firstAvailable(slots) {
  // Early exit decided by the awaited value: a sequential search.
  for (const slot of slots) {
    const booking = await Booking.findOne({ where: { slotId: slot.id } });
    if (!booking) return slot;
  }
  return null;
}
