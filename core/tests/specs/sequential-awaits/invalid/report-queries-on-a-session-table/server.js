const express = require('express');
const handler = require('./app/route');

const app = express();
app.get('/api/reports/revenue', handler);
app.listen(3000);
