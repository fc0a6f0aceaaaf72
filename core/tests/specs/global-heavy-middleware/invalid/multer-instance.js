// From madhums/node-express-mongoose-demo (config/express.js): multer's instance is made
// where it is required, then registered for every request ahead of a health check.
const express = require('express');
const upload = require('multer')();
const cors = require('cors');

const app = express();
app.use(cors());
app.use(upload.single('image')); // expect: global-heavy-middleware

app.get('/health', (req, res) => res.send('ok'));
app.post('/api/articles', (req, res) => res.status(201).json(req.body));
