const express = require('express');
const { registerRoute } = require('./lib/routing');
const invoices = require('./controllers/invoices');

const app = express();
const router = express.Router();
const authenticate = (req, res, next) => next();

registerRoute(router, 'get', '/invoices', [authenticate], invoices.list);
app.use('/api', router);
app.listen(3000);
