// umami's useTimezone: a helper declared per item reads that item's parts, so the same
// arguments give a different answer on every item; and a helper that consumes its input.
export function formatRows(data: Row[], timezone: string) {
  return data.map((item) => {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    const parts = format.formatToParts(new Date(item.date));
    const get = (type: string) => parts.find((p) => p.type === type)?.value;
    return { ...item, date: `${get('year')}-${get('month')}-${get('day')}` };
  });
}

function drain(queue: Job[]) {
  const done = [];
  while (queue.length) done.push(queue.shift());
  return done.length;
}

function sortedIds(ids: string[]) {
  ids.sort();
  return ids.filter((id, i) => ids.indexOf(id) === i);
}

export function schedule(rows: Row[], pending: Job[], ids: string[]) {
  return rows.map((row) => ({ row, jobs: drain(pending), ids: sortedIds(ids) }));
}
