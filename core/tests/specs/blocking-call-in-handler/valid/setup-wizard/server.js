const express = require('express');
const fs = require('fs');

const app = express();

app.get('/api/docs', (req, res) => {
  // Development only: the API description is re-read on every request while editing it.
  if (process.env.NODE_ENV !== 'production') {
    const spec = fs.readFileSync('./openapi.json', 'utf8');
    return res.type('json').send(spec);
  }
  res.json(cachedSpec);
});

app.listen(8080);
