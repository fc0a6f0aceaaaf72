// The browser half of the repository: a React component in `app/`, beside `server/`.
import * as React from "react";

export function MemberList({ members, groups }: { members: any[]; groups: any[] }) {
  const rows = members.map((m) => ({ ...m, group: groups.find((g) => g.id === m.groupId) }));
  return <ul>{rows.map((r) => <li key={r.id}>{r.name}</li>)}</ul>;
}
