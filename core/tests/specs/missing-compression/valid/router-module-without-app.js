// A router module: the app (and its compression) is created elsewhere, not in the analysed code.
const express = require('express');
const router = express.Router();

router.get('/api/items', (req, res) => res.json([]));
module.exports = router;
