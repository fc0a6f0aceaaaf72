import pLimit from 'p-limit';

const limit = pLimit(10);

app.get('/api/avatars', async (req, res) => {
  const users = req.query.users;
  const avatars = await Promise.all(users.map((user) => limit(() => fetch(`${AVATARS}/${user}`))));
  const cached = await redis.mget(users.map((user) => `avatar:${user}`));
  res.json({ avatars, cached });
});
