// A `const` list is constant only while nothing grows it: this one takes the request's ids, so
// its per-item queries are N+1 (unlike bailicangdu/node-elm's fixed list of four cities).
const mongoose = require('mongoose');
const express = require('express');
const User = mongoose.model('User', new mongoose.Schema({ city: String }));
const app = express();

app.get('/users/by-city', async (req, res) => {
  const cities = ['Beijing'];
  for (const c of req.query.cities.split(';')) cities.push(c);
  const counts = await Promise.all(cities.map((city) => User.find({ city }).countDocuments())); // expect: n-plus-one-query
  res.json(counts);
});

app.listen(3000);
