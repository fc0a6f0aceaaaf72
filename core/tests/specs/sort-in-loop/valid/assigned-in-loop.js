// From jQuery's event code (node-express-mongoose-demo, public/js/jquery.min.js), written
// out: `parts` is assigned from the current type on every iteration, so the sorted array is
// a different one each time, not one that could be sorted before the loop.
const express = require('express');
const app = express();
const rtypenamespace = /^([^.]*)(?:\.(.+)|)$/;

app.post('/api/events/normalize', (req, res) => {
  const types = String(req.body.types || '').split(' ').slice(0, 20);
  const out = {};
  let parts, namespaces;
  for (let k = 0; k < types.length; k++) {
    parts = rtypenamespace.exec(types[k]) || [];
    namespaces = (parts[2] || '').split('.').sort();
    out[parts[1]] = namespaces.join('.');
  }
  res.json(out);
});
