/**
 * `pnpm start`: the whole system on one machine. Migrates and seeds the database (the embedded
 * SQLite file unless DATABASE_URL says otherwise), starts the BFF, and prints where everything is.
 * Ctrl-C stops it all.
 */
import { connectDatabase, DEMO_PASSWORD, demoStaff, migrateToLatest, seedDemo } from 'db';
import { root, startChild, waitForOk } from './lib';

const port = Number(process.env.PORT ?? 3000);
const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };

const database = await connectDatabase(env.DATABASE_URL);
try {
  await migrateToLatest(database.db);
  await seedDemo(database.db);
} finally {
  await database.close();
}

const bffUrl = `http://127.0.0.1:${port}`;
const bff = startChild('bff', process.execPath, ['--import', 'tsx', 'bff/src/server.ts'], env);
const children = [bff];
let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() =>
    process.exit(code),
  );
};
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`a process exited unexpectedly (${code}); stopping`);
      stop(1);
    }
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

await waitForOk(`${bffUrl}/readyz`);
const logins = demoStaff.map((s) => `    ${s.username.padEnd(12)} ${s.role}`).join('\n');
console.log(`
heyi (合一) is running  — ${database.describe}

  BFF          ${bffUrl}
  API docs     ${bffUrl}/openapi.json
  Health       ${bffUrl}/readyz   metrics ${bffUrl}/metrics
  Stores       ${bffUrl}/api/mp/stores

  Demo staff logins (password "${DEMO_PASSWORD}"), POST ${bffUrl}/api/admin/login:
${logins}

  Data lives in ${root}/.data unless DATABASE_URL is set. Ctrl-C stops everything.
`);
