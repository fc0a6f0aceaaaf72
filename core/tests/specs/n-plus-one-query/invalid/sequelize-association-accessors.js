// Sequelize's generated association methods, called per row: the most common Sequelize N+1.
const express = require('express');
const { User, Post, Role } = require('./models');

User.hasMany(Post, { as: 'posts' });
Post.belongsTo(User, { as: 'author' });
User.belongsToMany(Role, { through: 'UserRoles' });

const app = express();

app.get('/api/users', async (req, res) => {
  const users = await User.findAll();
  const withPosts = await Promise.all(
    users.map(async (u) => ({ ...u.toJSON(), posts: await u.getPosts() })), // expect: n-plus-one-query
  );
  for (const user of users) {
    user.postCount = await user.countPosts(); // expect: n-plus-one-query
    user.label = user.getDisplayName();
  }
  res.json(withPosts);
});

app.get('/api/posts', async (req, res) => {
  const posts = await Post.findAll({ where: { published: true } });
  for (const post of posts) {
    post.writer = await post.getAuthor(); // expect: n-plus-one-query
  }
  res.json(posts);
});

app.listen(3000);
