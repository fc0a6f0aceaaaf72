// backlens-args: items:5000
const express = require('express');
const defaults = require('./defaults.json');

const app = express();

app.get('/api/settings', (req, res) => {
  const settings = JSON.parse(JSON.stringify(defaults)); // expect: json-deep-clone
  settings.theme = req.query.theme || settings.theme;
  res.json(settings);
});

app.listen(3000);
