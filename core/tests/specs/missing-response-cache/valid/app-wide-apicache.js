// A cache middleware registered for the whole app covers every route.
const express = require('express');
const apicache = require('apicache');
const { Article } = require('./models');

const app = express();
app.use(apicache.middleware('5 minutes'));

app.get('/api/articles', async (req, res) => {
  res.json(await Article.findAll({ limit: 20 }));
});
