// Eager-loaded associations, and instance methods of the project's own that share the
// accessors' shape but are no association.
const express = require('express');
const { User, Post } = require('./models');

User.hasMany(Post, { as: 'posts' });

const app = express();

app.get('/api/users', async (req, res) => {
  const users = await User.findAll({ include: [{ model: Post, as: 'posts' }] });
  for (const user of users) {
    user.name = await user.getFullName();
    user.token = await user.createToken();
  }
  const notRows = req.body.items;
  for (const item of notRows) {
    await item.getPosts();
  }
  res.json(users);
});

app.listen(3000);
