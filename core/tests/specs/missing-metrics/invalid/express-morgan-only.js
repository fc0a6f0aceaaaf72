// morgan writes text access logs; nothing measures or exports request durations.
const express = require('express');
const morgan = require('morgan');

const app = express(); // expect: missing-metrics
app.use(morgan('combined'));
app.get('/api/items', (req, res) => res.json([]));
app.listen(3000);
