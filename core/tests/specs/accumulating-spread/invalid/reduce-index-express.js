const express = require('express');
const app = express();

app.get('/api/users/by-id', async (req, res) => {
  const users = await User.findAll();
  const byId = users.reduce((acc, user) => ({ ...acc, [user.id]: user }), {}); // expect: accumulating-spread
  res.json(byId);
});

app.listen(3000);
