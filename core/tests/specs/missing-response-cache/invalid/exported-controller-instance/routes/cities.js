const express = require('express');
const City = require('../controller/city');

const router = express.Router();

router.get('/cities/:id', City.getCityById); // expect: missing-response-cache

module.exports = router;
