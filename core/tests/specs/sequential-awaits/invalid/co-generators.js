// Co-style controllers (madhums/node-express-mongoose-demo): `yield` in a generator run by
// co waits for the promise, like `await`.
const express = require('express');
const mongoose = require('mongoose');
const { wrap: async } = require('co');
const co = require('co');

const Article = mongoose.model('Article');
const Tag = mongoose.model('Tag');
const app = express();

app.get('/articles', async(function* (req, res) {
  const articles = yield Article.find().limit(15); // expect: sequential-awaits
  const count = yield Article.countDocuments();
  res.json({ articles, count });
}));

app.get('/tags', co.wrap(function* (req, res) {
  const tags = yield Tag.find().limit(50); // expect: sequential-awaits
  const total = yield Tag.countDocuments();
  res.json({ tags, total });
}));
