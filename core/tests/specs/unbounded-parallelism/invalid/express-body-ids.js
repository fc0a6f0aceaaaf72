const express = require('express');
const app = express();
app.use(express.json());

app.post('/api/enrich', async (req, res) => {
  const items = await Promise.all(req.body.ids.map((id) => fetch(`${CATALOG_API}/items/${id}`).then((r) => r.json()))); // expect: unbounded-parallelism
  res.json(items);
});

app.listen(3000);
