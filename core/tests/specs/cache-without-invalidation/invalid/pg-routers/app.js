const express = require('express');
const app = express();
app.use('/api/orders', require('./routes/read'));
app.use('/api/orders', require('./routes/write'));
module.exports = app;
