// A tiny static file server for the built playground (dist/), on a free loopback port.
// Only GET/HEAD, only files under the root, and the MIME types the page needs (WebAssembly
// must be served as application/wasm for streaming compilation).
//
// Options (all optional; `serve(root)` serves `root` at `/` with no extra header):
//   prefix  serve the site under a sub-path, e.g. '/some/path/' (anything else is a 404),
//           as a static host that publishes it in a sub-directory would;
//   csp     a Content-Security-Policy header sent with every response (CSP below is the
//           one the site is built for, docs/deploy/);
//   log     an array that receives every request's path, in order.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** The strict Content-Security-Policy the site is built for (README.md, docs/deploy/). */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** Serves `root`; resolves to { url, close() } once listening on 127.0.0.1. */
export async function serve(root, { prefix = '/', csp = null, log = null } = {}) {
  const base = resolve(root);
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`prefix must start and end with '/': ${prefix}`);
  const extra = csp ? { 'content-security-policy': csp } : {};
  const server = createServer(async (req, res) => {
    try {
      log?.push(req.url);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', ...extra }).end();
        return;
      }
      const full = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      if (!full.startsWith(prefix)) {
        res.writeHead(404, { 'content-type': 'text/plain', ...extra }).end('not found');
        return;
      }
      const pathname = `/${full.slice(prefix.length)}`;
      let file = normalize(join(base, pathname));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain', ...extra }).end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
