const express = require('express');
const asyncHandler = require('express-async-handler');
const { Pool } = require('pg');
const makeOrdersController = require('./controllers/orders');

const pool = new Pool();
const app = express();
const orders = makeOrdersController({ pool });

app.get('/orders', asyncHandler(orders.list));
app.listen(3000);
