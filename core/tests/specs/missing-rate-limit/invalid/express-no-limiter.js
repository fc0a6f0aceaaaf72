const express = require('express');
const { User } = require('./models');

const app = express(); // expect: missing-rate-limit
app.use(express.json());

app.get('/api/users/:id', async (req, res) => {
  res.json(await User.findByPk(req.params.id));
});

app.listen(3000);
