// Files read on the first request and kept in module state (growthbook's OpenAPI spec,
// robots.txt and build info): every sync call inside the guard runs once per process.
import express from 'express';
import path from 'path';
import fs, { existsSync, readFileSync } from 'fs';

const router = express.Router();

let openapiSpec: string;
router.get('/v1/openapi.yaml', (req, res) => {
  if (!openapiSpec) {
    const file = path.join(__dirname, 'generated', 'spec.yaml');
    if (existsSync(file)) {
      openapiSpec = readFileSync(file).toString();
    }
  }
  res.type('yaml').send(openapiSpec);
});

let build: { sha: string; date: string };
export function getBuild() {
  if (!build) {
    build = { sha: '', date: '' };
    const root = path.join(__dirname, 'buildinfo');
    if (fs.existsSync(path.join(root, 'SHA'))) {
      build.sha = fs.readFileSync(path.join(root, 'SHA')).toString().trim();
    }
  }
  return build;
}

router.get('/v1/build', (req, res) => res.json(getBuild()));

export default router;
