const express = require('express');
const links = require('./handlers/links');

const app = express();
app.use(links);
app.listen(3000);
