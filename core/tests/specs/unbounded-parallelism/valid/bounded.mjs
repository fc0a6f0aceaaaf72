import pLimit from 'p-limit';
import pMap from 'p-map';

const limit = pLimit(10);

app.post('/api/a', async (req, res) => {
  const a = await Promise.all(req.body.ids.map((id) => limit(() => fetch(`${API}/a/${id}`))));
  const b = await pMap(req.body.ids, (id) => fetch(`${API}/b/${id}`), { concurrency: 5 });
  const c = await Promise.all(req.body.ids.slice(0, 20).map((id) => fetch(`${API}/c/${id}`)));
  res.json({ a, b, c });
});
