// Pages whose paths say "login", "report" and "reset-password" but that only render a form
// (kutt's renders.routes.js, Requarks/wiki's GET /login): nothing there costs more than a
// static page.
const express = require('express');
const rateLimit = require('express-rate-limit');
const bcrypt = require('bcrypt');

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
const loginLimiter = rateLimit({ windowMs: 15 * 60_000, limit: 5 });

app.get('/login', (req, res) => res.render('login', { next: req.query.next }));
app.get('/report', (req, res) => res.render('report'));
app.get('/reset-password/:token', (req, res) => res.render('reset-password', { token: req.params.token }));

app.post('/login', loginLimiter, async (req, res) => {
  const user = await User.findOne({ where: { email: req.body.email } });
  res.json({ ok: await bcrypt.compare(req.body.password, user.hash) });
});

app.listen(3000);
