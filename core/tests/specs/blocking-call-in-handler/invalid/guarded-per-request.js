// A guard that does not keep anything between requests: the handler's own variable, or a
// test on the request, reads the file on every call that takes the branch.
const express = require('express');
const fs = require('fs');
const app = express();

app.get('/report', (req, res) => {
  let body;
  if (!body) {
    body = fs.readFileSync('report.html', 'utf8'); // expect: blocking-call-in-handler
  }
  res.send(body);
});

app.get('/export', (req, res) => {
  let data = null;
  if (!req.query.cached) {
    data = fs.readFileSync('export.csv'); // expect: blocking-call-in-handler
  }
  res.send(data);
});

app.listen(3000);
