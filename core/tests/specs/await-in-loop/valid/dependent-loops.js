app.get('/api/all-issues', async (req, res) => {
  // Cursor pagination: the next request needs this one's cursor.
  const issues = [];
  let cursor = null;
  do {
    const page = await fetch(`${API}/issues?cursor=${cursor}`).then((r) => r.json());
    issues.push(...page.items);
    cursor = page.next;
  } while (cursor);

  // Polling until done.
  let job = await axios.get(`${API}/jobs/${req.query.id}`);
  while (job.data.state !== 'done') {
    job = await axios.get(`${API}/jobs/${req.query.id}`);
  }

  // Stop at the first hit.
  for (const mirror of req.query.mirrors) {
    const found = await fetch(`${mirror}/file`);
    if (found.ok) break;
  }
  res.json({ issues, job: job.data });
});

app.post('/api/drain', async (req, res) => {
  // Queue draining: the loop consumes (and may refill) a queue.
  const queue = [...req.body.jobs];
  while (queue.length) {
    const job = queue.shift();
    const next = await fetch(job.url);
    if (next.headers.get('link')) queue.push({ url: next.headers.get('link') });
  }
  res.end();
});
