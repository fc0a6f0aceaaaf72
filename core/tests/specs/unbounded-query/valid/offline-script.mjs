// A one-off export script: no route reaches it.
import { prisma } from './db.mjs';
import { writeFile } from 'node:fs/promises';

async function exportAll() {
  const users = await prisma.user.findMany();
  await writeFile('users.json', JSON.stringify(users));
  return users;
}

exportAll();
