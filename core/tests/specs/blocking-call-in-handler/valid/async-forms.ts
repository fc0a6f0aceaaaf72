import express from 'express';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import bcrypt from 'bcrypt';
import { execFile } from 'node:child_process';

const pbkdf2 = promisify(crypto.pbkdf2);
const run = promisify(execFile);
const app = express();

app.post('/login', async (req, res) => {
  const key = await pbkdf2(req.body.password, 'salt', 100000, 64, 'sha512');
  const ok = await bcrypt.compare(req.body.password, req.body.hash);
  const salt = bcrypt.genSaltSync(10);
  res.json({ ok, key: key.toString('hex'), salt });
});

app.get('/files/:name', async (req, res) => {
  const text = await fs.promises.readFile(`./files/${req.params.name}`, 'utf8');
  const { stdout } = await run('wc', ['-l', `./files/${req.params.name}`]);
  res.json({ text, lines: stdout });
});
