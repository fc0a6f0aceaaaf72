'use strict';

const express = require('express');
const schedules = require('./routes/schedules');

const app = express();
app.use('/api', schedules);
app.listen(3000);
