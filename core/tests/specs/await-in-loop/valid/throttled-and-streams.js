const { setTimeout: sleep } = require('timers/promises');
const fs = require('fs');
const readline = require('readline');

app.post('/api/notify', async (req, res) => {
  // Deliberate throttling for a partner's rate limit.
  for (const user of req.body.users) {
    await axios.get(`${PARTNER}/ping/${user.id}`);
    await sleep(200);
  }
  // A stream, line by line.
  const lines = readline.createInterface({ input: fs.createReadStream('./big.log') });
  for await (const line of lines) {
    await redis.get(`seen:${line}`);
  }
  res.sendStatus(204);
});
