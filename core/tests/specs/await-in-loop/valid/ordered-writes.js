const fs = require('fs');

app.post('/api/export', async (req, res) => {
  for (const row of req.body.rows) {
    await fs.promises.appendFile('./export.csv', `${row.id},${row.name}\n`);
  }
  for (const event of req.body.events) {
    await axios.post(`${WEBHOOK}/events`, event);
  }
  res.sendStatus(202);
});
