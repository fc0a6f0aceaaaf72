const express = require('express');
const fs = require('fs');
const https = require('https');

// Read once at load time: certificates, templates, configuration.
const template = fs.readFileSync('./views/index.html', 'utf8');
const config = JSON.parse(fs.readFileSync('./config.json', 'utf8'));

function loadKeys() {
  return { key: fs.readFileSync('./key.pem'), cert: fs.readFileSync('./cert.pem') };
}

const app = express();
let cachedLogo;

app.get('/', (req, res) => res.send(template));

app.get('/logo', (req, res) => {
  cachedLogo ??= fs.readFileSync('./logo.svg', 'utf8'); // read once, then kept
  res.type('svg').send(cachedLogo);
});

https.createServer(loadKeys(), app).listen(config.port);

let schema;
function getSchema() {
  if (!schema) {
    schema = JSON.parse(fs.readFileSync('./schema.json', 'utf8'));
  }
  return schema;
}

app.post('/validate', (req, res) => res.json({ ok: validate(getSchema(), req.body) }));
