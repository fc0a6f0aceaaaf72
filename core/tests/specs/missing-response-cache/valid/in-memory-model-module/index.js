'use strict';

const express = require('express');
const User = require('./user');

const app = express();

// No database: `User` is the project's own module, so nothing here is a query to cache.
app.get('/', function (req, res, next) {
  User.count(function (err, count) {
    if (err) return next(err);
    User.all(function (err, users) {
      if (err) return next(err);
      res.render('index', { title: 'Users', count: count, users: users });
    });
  });
});

app.listen(3000);
