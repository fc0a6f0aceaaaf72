// An app given a second name is still one app: one finding, at its creation.
const express = require('express');
const app = express(); // expect: missing-compression
const server = app;

app.get('/health', (req, res) => res.send('ok'));
server.listen(3000);
