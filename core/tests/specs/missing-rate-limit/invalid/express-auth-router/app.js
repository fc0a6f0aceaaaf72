const express = require('express');
const rateLimit = require('express-rate-limit');
const authRoutes = require('./routes/auth');

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
app.use('/api/auth', authRoutes);

app.get('/api/reports/export', exportReports); // expect: missing-rate-limit

async function exportReports(req, res) {
  const rows = await Report.findAll({ where: { ownerId: req.query.owner } });
  res.json(rows.map((r) => ({ id: r.id, total: r.total })));
}

app.listen(3000);
