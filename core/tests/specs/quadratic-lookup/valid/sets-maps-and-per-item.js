// Set/Map lookups, searches outside iterations, a user's own small array, searches that
// do not depend on the item, and database queries named `find`.
const express = require('express');
const app = express();

app.get('/api/users', async (req, res) => {
  const users = await User.find({ active: true });
  const ids = new Set(req.body.ids);
  const byId = new Map(users.map((u) => [u.id, u]));
  const first = users.find((u) => u.admin);
  const result = users.map((user) => ({
    ...user,
    selected: ids.has(user.id),
    manager: byId.get(user.managerId),
    isAdmin: user.roles.includes('admin'),
    tagged: user.tags.some((t) => t === 'vip'),
    anyAdmin: users.some((u) => u.admin),
  }));
  for (const user of users) {
    user.posts = await Post.find({ author: user.id });
  }
  res.json({ first, result });
});

app.listen(3000);
