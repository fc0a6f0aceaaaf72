const { Router } = require('express');
const { saveReport } = require('../lib/storage');

const router = Router();

router.post('/', async (req, res) => {
  const file = saveReport(req.body.name, req.body.content);
  res.status(201).json({ file });
});

module.exports = router;
