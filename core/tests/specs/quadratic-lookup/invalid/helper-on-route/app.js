const express = require('express');
const reports = require('./routes/reports');

const app = express();
app.use('/api/reports', reports);
app.listen(3000);
