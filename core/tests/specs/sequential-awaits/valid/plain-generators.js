// Plain generators hand values out with `yield`; nothing waits (a for…of pulls them).
const express = require('express');
const mongoose = require('mongoose');
const co = require('co');

const Article = mongoose.model('Article');
const app = express();

function* pages(total, size) {
  for (let start = 0; start < total; start += size) {
    yield { start, size };
  }
}

function* queries() {
  const first = yield Article.find().limit(10);
  const second = yield Article.countDocuments();
  return [first, second];
}

app.get('/pages', (req, res) => {
  const out = [];
  for (const page of pages(100, 10)) out.push(page);
  res.json({ out, queries: [...queries()].length });
});

// In a coroutine, a `yield` of an array runs its promises together.
app.get('/articles', co.wrap(function* (req, res) {
  const [articles, count] = yield [Article.find().limit(15), Article.countDocuments()];
  res.json({ articles, count });
}));
