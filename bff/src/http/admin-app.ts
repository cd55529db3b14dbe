import fs from 'node:fs/promises';
import path from 'node:path';
import type { Middleware } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * Serves the back office (管理后台, `admin/dist`) at /admin: the files by path, index.html for
 * anything else under /admin (the app routes itself). Hashed assets are cached for a year; the
 * page itself never, so a new build is picked up at once. Nothing outside the directory is served.
 */
export function adminApp(dir: string): Middleware {
  const root = path.resolve(dir);
  return async (ctx, next) => {
    if (ctx.path !== '/admin' && !ctx.path.startsWith('/admin/')) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/admin') return ctx.redirect('/admin/');
    const wanted = path.resolve(root, `.${decodeURIComponent(ctx.path.slice('/admin'.length))}`);
    const inside = wanted.startsWith(`${root}${path.sep}`);
    const file = inside && (await isFile(wanted)) ? wanted : path.join(root, 'index.html');
    if (!(await isFile(file))) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'the back office is not built: pnpm --filter admin build';
      return;
    }
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    ctx.set(
      'cache-control',
      file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    ctx.body = await fs.readFile(file);
  };
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null))?.isFile() ?? false;
}
