type Row = { id: string; meta: Record<string, unknown> };

export function snapshotRows(rows: Row[]): Row[] {
  return rows.map((row) => {
    const copy: Row = JSON.parse(JSON.stringify(row)); // expect: json-deep-clone
    copy.meta.snapshotAt = Date.now();
    return copy;
  });
}
