// Small constant arrays: their size does not grow with the data.
const ADMIN_ROLES = ['admin', 'owner'] as const;
const WEEKDAYS = [1, 2, 3, 4, 5];

export function admins(users: { role: string; day: number; kind: string }[]) {
  return users.filter(
    (u) => ADMIN_ROLES.includes(u.role as 'admin') && WEEKDAYS.indexOf(u.day) !== -1 && ['a', 'b'].includes(u.kind),
  );
}

export function perStatus(users: { status: string }[], all: { status: string }[]) {
  // The outer iteration is over a literal: three scans, not n.
  for (const status of ['active', 'pending', 'blocked']) {
    console.log(all.filter((u) => u.status === status).length);
  }
  return users;
}
