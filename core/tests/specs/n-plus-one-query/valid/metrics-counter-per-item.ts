// A metrics counter per item (outline's Logger bumps `Metrics.increment('logger.warning')`, a
// StatsD client): not Sequelize's `Model.increment`, no query.
import express from 'express';
import Metrics from './metrics';

const app = express();

app.post('/api/import', async (req, res) => {
  for (const block of req.body.blocks) {
    Metrics.increment('import.block', { type: block.type });
  }
  res.json({ ok: true });
});

app.listen(3000);
