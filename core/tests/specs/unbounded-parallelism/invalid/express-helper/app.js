const express = require('express');
const notifications = require('./routes/notifications');

const app = express();
app.use('/api/notifications', notifications);
app.listen(3000);
