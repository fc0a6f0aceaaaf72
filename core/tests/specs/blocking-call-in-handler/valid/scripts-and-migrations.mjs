// A build script and a migration: no route reaches them.
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export function build() {
  execSync('npm run compile', { stdio: 'inherit' });
  for (const file of readdirSync('./migrations')) {
    const sql = readFileSync(`./migrations/${file}`, 'utf8');
    writeFileSync(`./dist/${file}`, sql);
  }
}

build();
