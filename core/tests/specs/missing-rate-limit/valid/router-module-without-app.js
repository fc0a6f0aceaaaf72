// A router module: the app, and its limiter, are created elsewhere.
const router = require('express').Router();

router.post('/login', (req, res) => res.json({ ok: true }));
module.exports = router;
