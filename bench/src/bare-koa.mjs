// The cold-start baseline: a bare Koa process, plain JavaScript, started exactly as the compiled BFF
// is (`node --enable-source-maps <file>`). It answers /readyz and serves BENCH_BODY_FILE as the menu.
import fs from 'node:fs';
import Koa from 'koa';

const body = process.env.BENCH_BODY_FILE ? fs.readFileSync(process.env.BENCH_BODY_FILE, 'utf8') : '{}';
const app = new Koa();
app.use(async (ctx) => {
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = ctx.path === '/readyz' ? '{"ok":true}' : body;
});
app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
