const express = require('express');
const crypto = require('crypto');
const fs = require('fs');

// Start-up work: read once when the module loads (not reported).
const page = fs.readFileSync(__dirname + '/login.html', 'utf8');

const app = express();
app.use(express.json());

app.post('/api/login', (req, res) => {
  const user = users.get(req.body.email);
  const hash = crypto.pbkdf2Sync(req.body.password, user.salt, 310000, 32, 'sha256').toString('hex'); // expect: blocking-call-in-handler
  res.json({ ok: hash === user.hash });
});

app.get('/login', (req, res) => res.type('html').send(page));

app.listen(3000);
