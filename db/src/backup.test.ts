import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from './connect';
import { seedDemo } from './seed';
import { createSqliteTestDatabase, type TestDatabase } from './testing';

const dbRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `pnpm db:backup <file>` as an operator types it (the db package's CLI). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--conditions=heyi-source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: dbRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('pnpm db:backup', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createSqliteTestDatabase();
    await seedDemo(database.db, {});
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-backup-'));
  });
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the embedded database while it is open, into a file that opens with the same data', async () => {
    // The live database is open (and its WAL unmerged) in this process while the copy is taken.
    await database.db.updateTable('store').set({ name: '备份前改名' }).where('code', '=', 'SH002').execute();
    const target = path.join(dir, 'heyi-backup.db');
    const { code, out } = await cli(['backup', target], { DATABASE_URL: database.url });
    expect(out).toMatch(/backed up \d+ pages/);
    expect(code).toBe(0);

    const copy = await connectDatabase(target);
    try {
      const stores = await copy.db.selectFrom('store').select(['code', 'name']).orderBy('code').execute();
      expect(stores).toEqual(await database.db.selectFrom('store').select(['code', 'name']).orderBy('code').execute());
      expect(stores.find((s) => s.code === 'SH002')?.name).toBe('备份前改名');
    } finally {
      await copy.close();
    }
  });

  it('refuses a MySQL database, naming the tools to use, and writes nothing', async () => {
    const target = path.join(dir, 'nothing.db');
    const { code, out } = await cli(['backup', target], { DATABASE_URL: 'mysql://heyi@127.0.0.1:1/heyi' });
    expect(code).toBe(1);
    expect(out).toMatch(/back up MySQL\/TiDB with its own tools/);
    expect(fs.existsSync(target)).toBe(false);
  });
});
