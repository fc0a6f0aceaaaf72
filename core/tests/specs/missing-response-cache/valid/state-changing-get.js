// A GET that writes is not cacheable: the confirmation link of bradtraversy/devcamper-api
// (GET /auth/confirmemail) finds the user by a one-time token and saves the document; a
// cached answer would skip the write. Also a write query on a GET (a view counter).
const express = require('express');
const mongoose = require('mongoose');
const User = mongoose.model('User', new mongoose.Schema({ token: String, confirmed: Boolean }));
const Post = mongoose.model('Post', new mongoose.Schema({ title: String, views: Number }));
const app = express();

app.get('/auth/confirm', async (req, res) => {
  const user = await User.findOne({ token: req.query.token, confirmed: false });
  if (!user) return res.status(400).json({ error: 'invalid token' });
  user.token = undefined;
  user.confirmed = true;
  user.save({ validateBeforeSave: false });
  res.json({ ok: true });
});

app.get('/posts/:id', async (req, res) => {
  const post = await Post.findById(req.params.id);
  await Post.updateOne({ _id: post._id }, { $inc: { views: 1 } });
  res.json(post);
});

app.listen(3000);
