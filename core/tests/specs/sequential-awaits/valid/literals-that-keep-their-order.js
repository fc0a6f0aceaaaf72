// A literal whose awaits write, run in a transaction, or hold one await only keeps its order.
const express = require('express');
const { sequelize, User, Audit } = require('./models');

const app = express();

app.post('/api/users', async (req, res) => {
  const result = { user: await User.create(req.body), audit: await Audit.create({ action: 'signup' }) };
  const one = { user: await User.findByPk(result.user.id), at: Date.now() };
  await sequelize.transaction(async (t) => {
    res.json({ a: await User.count({ transaction: t }), b: await Audit.count({ transaction: t }) });
  });
  res.json(one);
});

app.listen(3000);
