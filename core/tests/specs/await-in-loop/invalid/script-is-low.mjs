// A one-off script: reported, but low.
import { readFile } from 'node:fs/promises';

const names = process.argv.slice(2);
for (const name of names) {
  const text = await readFile(name, 'utf8'); // expect: await-in-loop
  console.log(name, text.length);
}
