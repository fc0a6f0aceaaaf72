// Loops that touch no database per item, or iterate a small constant list.
app.get('/summary', async (req, res) => {
  const users = await User.findAll();
  const teams = await Team.findAll();
  for (const user of users) {
    user.team = teams.find((t) => t.id === user.teamId); // in memory, not a query
  }
  const counts = {};
  for (const status of ['open', 'closed']) {
    counts[status] = await Ticket.count({ where: { status } });
  }
  const names = users.map((u) => u.name.includes('x'));
  res.json({ users, counts, names });
});
