// The seed's section 3.1, AFTER (eager loading).
app.get('/api/users', async (req, res) => {
  const users = await User.findAll({
    include: [{ model: Post, as: 'posts' }] // Single query with JOIN
  });

  res.json(users);
});
// Total: 1 query
