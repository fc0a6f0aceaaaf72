const express = require('express');
const { Document } = require('../models');

const router = express.Router();

router.get('/api/documents/:id', async (req, res) => {
  const document = await Document.findByPk(req.params.id);
  res.json(document);
});

module.exports = router;
