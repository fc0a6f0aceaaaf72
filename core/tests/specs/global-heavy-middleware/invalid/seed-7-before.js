// The seed's section 7 "BEFORE": everything runs for the health check too.
const express = require('express');
const bodyParser = require('body-parser');
const cookieParser = require('cookie-parser');
const session = require('express-session');
const passport = require('passport');
const cors = require('cors');

const app = express();

app.use(bodyParser.json()); // expect: global-heavy-middleware
app.use(bodyParser.urlencoded({ extended: true }));
app.use(cookieParser());
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.use(passport.initialize());
app.use(passport.session());
app.use(cors());

app.get('/api/public/health', (req, res) => {
  res.json({ status: 'ok' });
});
