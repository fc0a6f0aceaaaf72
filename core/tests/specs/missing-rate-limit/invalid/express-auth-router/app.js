const express = require('express');
const rateLimit = require('express-rate-limit');
const authRoutes = require('./routes/auth');

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
app.use('/api/auth', authRoutes);

app.get('/api/reports/export', exportReports); // expect: missing-rate-limit

async function exportReports(req, res) {
  res.json([]);
}

app.listen(3000);
