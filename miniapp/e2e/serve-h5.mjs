import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Hop-by-hop headers belong to one connection and must not be forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

function forwardable(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function proxy(req, res, target, { stripPrefix = '', name = 'BFF' } = {}) {
  const upstream = http.request(
    new URL(req.url.slice(stripPrefix.length) || '/', target),
    { method: req.method, headers: { ...forwardable(req.headers), host: target.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, forwardable(up.headers));
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (res.headersSent) return res.destroy(err);
    res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({ error: { code: 'BAD_GATEWAY', message: `${name} unreachable: ${err.message}`, requestId: '' } }),
    );
  });
  req.pipe(upstream);
}

async function serveFile(req, res, root) {
  const { pathname } = new URL(req.url, 'http://localhost');
  let file = path.join(root, path.normalize(decodeURIComponent(pathname)));
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  let info = await stat(file).catch(() => null);
  // Taro H5 routes with the hash, so any page load is "/" plus a hash; the fallback also covers
  // a browser asking for an extensionless path.
  if (!info?.isFile() && !path.extname(file)) {
    file = path.join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/**
 * Serves a Taro H5 build on 127.0.0.1 and proxies /api/* and /media/* (dish photos) to the BFF,
 * so the app calls the API on its own origin exactly as it does behind the production gateway
 * (API_BASE = '').
 * With `simTarget`, /sim/* goes to the platform simulators with the /sim prefix removed: the H5
 * build has no WeChat, so it gets its login code and pays there (demos and browser tests only).
 */
export async function serveH5({ root, apiTarget, simTarget, port = 0 }) {
  const rootDir = path.resolve(root);
  const target = new URL(apiTarget);
  const sim = simTarget ? new URL(simTarget) : null;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/') || req.url?.startsWith('/media/')) return proxy(req, res, target);
    if (sim && req.url?.startsWith('/sim/')) return proxy(req, res, sim, { stripPrefix: '/sim', name: 'simulator' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    serveFile(req, res, rootDir).catch((err) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
