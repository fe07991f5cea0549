// serve.mjs: a small static file server for the built site (build/wasm/site), for the browser
// tests (and usable by hand: `node tests/web/serve.mjs [dir] [port]`).
// What it is: GET/HEAD of files under one root on 127.0.0.1, with the right MIME types (wasm
// must be application/wasm for streaming compilation). What it is not: no directory listings,
// nothing outside the root (paths are resolved and checked), no caching logic.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Start serving `root`; resolves with {server, port, url, close()}. port 0 = a free one. */
export function serve(root, port = 0, host = '127.0.0.1') {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, `.${rel}`);
    if (file !== base && !file.startsWith(base + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        // As GitHub Pages sends it: a page in a sandboxed iframe (opaque origin, issue 9) loads
        // its module scripts and lab.wasm in CORS mode.
        'Access-Control-Allow-Origin': '*',
      });
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const p = server.address().port;
      resolve({ server, port: p, url: `http://${host}:${p}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// Run directly: serve a folder until interrupted.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] || process.env.SUPERPOSE_SITE || 'build/wasm/site';
  const port = Number(process.argv[3] || 8000);
  serve(root, port).then((s) => console.log(`serving ${path.resolve(root)} at ${s.url}`));
}
