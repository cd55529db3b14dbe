import fs from 'node:fs';
import path from 'node:path';
import { BackupError, backupDatabase } from './backup';
import { connectDatabase } from './connect';
import { migrateToLatest } from './migrate';
import { ProvisionError, provision } from './provision';
import { SeedRefusedError, seedDemo } from './seed';

/**
 * `pnpm db:migrate`, `pnpm db:seed`, `pnpm db:provision <file.json>` and `pnpm db:backup <file>`,
 * against DATABASE_URL (or the embedded default). Compiled: `node db/dist/cli.js <command>`.
 */
async function main(command: string | undefined, arg: string | undefined): Promise<void> {
  if (command === 'backup') return backup(arg);
  if (command !== 'migrate' && command !== 'seed' && command !== 'provision') {
    console.error('usage: cli.ts migrate | seed | provision <file.json> | backup <file>');
    process.exitCode = 2;
    return;
  }
  let provisionFile: unknown;
  if (command === 'provision') {
    if (!arg) {
      console.error('usage: cli.ts provision <file.json>');
      process.exitCode = 2;
      return;
    }
    // Relative to where the command was typed (pnpm runs scripts from the package directory).
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), arg);
    try {
      provisionFile = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      console.error(`cannot read ${file}: ${(err as Error).message}`);
      process.exitCode = 1;
      return;
    }
  }
  const handle = await connectDatabase(process.env.DATABASE_URL);
  try {
    const result = await migrateToLatest(handle.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    console.log(
      `${handle.dialect} ${handle.describe}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`,
    );
    if (command === 'seed') {
      await seedDemo(handle.db);
      console.log('demo brand seeded');
    }
    if (command === 'provision') {
      const report = await provision(handle.db, provisionFile);
      for (const kind of ['created', 'updated', 'unchanged'] as const) {
        if (report[kind].length) console.log(`${kind}: ${report[kind].join(', ')}`);
      }
    }
  } catch (err) {
    if (err instanceof SeedRefusedError || err instanceof ProvisionError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

async function backup(arg: string | undefined): Promise<void> {
  if (!arg) {
    console.error('usage: cli.ts backup <file>');
    process.exitCode = 2;
    return;
  }
  try {
    // Relative to where the command was typed, like provision's file.
    const { file, pages } = await backupDatabase(
      process.env.DATABASE_URL,
      path.resolve(process.env.INIT_CWD ?? process.cwd(), arg),
    );
    console.log(`backed up ${pages} pages to ${file}`);
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}

await main(process.argv[2], process.argv[3]);
