const link = require('./link');

module.exports = { link };
