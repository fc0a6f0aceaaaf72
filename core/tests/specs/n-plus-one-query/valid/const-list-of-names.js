// A query per item of a constant list bound to a name is as bounded as one per item of an
// inline literal (bailicangdu/node-elm's per-city user counts, run in Promise.all).
const mongoose = require('mongoose');
const express = require('express');
const User = mongoose.model('User', new mongoose.Schema({ city: String }));
const app = express();

app.get('/users/by-city', async (req, res) => {
  const cities = ['Beijing', 'Shanghai', 'Shenzhen', 'Hangzhou'];
  const counts = await Promise.all(cities.map((city) => User.find({ city }).countDocuments()));
  res.json(Object.fromEntries(cities.map((city, i) => [city, counts[i]])));
});

let STATUSES = ['active', 'banned'];
app.get('/users/by-status', async (req, res) => {
  const out = {};
  for (const status of STATUSES) {
    out[status] = await User.countDocuments({ status });
  }
  res.json(out);
});

app.listen(3000);
