// A sequential search that answers with the first match ends the loop on its normal path:
// the later rows are never read, so batching them would read more, not less. Only error
// exits (throw, next(err), an error status) keep a loop per item (see
// invalid/validated-rows-in-loop.ts).
const express = require('express');
const app = express();

app.get('/api/slots/free', async (req, res) => {
  for (const slot of req.query.slots.split(',')) {
    const booking = await Booking.findOne({ where: { slotId: slot } });
    if (!booking) return res.status(200).json({ slot });
  }
  res.status(404).json({ message: 'no free slot' });
});

app.get('/api/mirrors/first', async (req, res) => {
  for (const mirror of req.body.mirrors) {
    const row = await Mirror.findOne({ where: { url: mirror.url, up: true } });
    if (row) return res.json(row);
  }
  res.sendStatus(404);
});
