app.post('/api/users/batch', async (req, res) => {
  const users = await Promise.all(req.body.ids.map((id) => User.findByPk(id)));
  res.json(users);
});
