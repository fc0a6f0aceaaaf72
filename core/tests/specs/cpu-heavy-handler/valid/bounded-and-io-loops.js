const MAX_PAGES = 10;

app.get('/api/export', async (req, res) => {
  // Bounded by a constant.
  let checksum = 0;
  for (let i = 0; i < 1024; i++) checksum = (checksum * 31 + i) >>> 0;
  // Awaits per iteration: I/O-bound, not CPU-bound.
  for (let page = 0; page < req.query.pages && page < MAX_PAGES; page++) {
    res.write(await fetchPage(page));
  }
  // Bounded by the server's own data.
  for (let i = 0; i < CACHE.length; i++) checksum ^= CACHE[i];
  res.end(String(checksum));
});
