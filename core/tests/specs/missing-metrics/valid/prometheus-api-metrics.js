// codimd registers prometheus-api-metrics right after creating the app: instrumented, though
// the module is none of the well-known names.
const express = require('express');
const apiMetrics = require('prometheus-api-metrics');

const app = express();
app.use(apiMetrics({ metricsPath: '/metrics/router' }));

app.get('/api/notes', async (req, res) => res.json(await Note.findAll({ limit: 20 })));

app.listen(3000);
