"use client";
// The same lookup in a client component is the browser's.
export function Table({ members, groups }: { members: any[]; groups: any[] }) {
  const rows = members.map((m) => ({ ...m, group: groups.find((g) => g.id === m.groupId) }));
  return <table>{rows.length}</table>;
}
