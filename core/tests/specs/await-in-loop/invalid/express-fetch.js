const express = require('express');
const app = express();

app.get('/api/team', async (req, res) => {
  const members = await Member.findAll({ where: { teamId: req.query.team }, limit: 50 });
  for (const member of members) {
    member.avatar = await fetch(`${AVATAR_API}/${member.email}`).then((r) => r.json()); // expect: await-in-loop
  }
  res.json(members);
});

app.listen(3000);
