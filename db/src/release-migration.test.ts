import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations';
import { demoIds, seedDemo } from './seed';
import { type StorageTarget, storageTargets } from './testing';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const git = (args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const MIGRATIONS = 'db/src/migrations';

/**
 * The schema of the previous release: the newest commit before a change to the migrations whose
 * every migration file is still byte for byte the same here, i.e. a database this code must be
 * able to upgrade. (Early migrations were placeholders filled in before anything was released; a
 * migration that has run anywhere is never edited: a change is a new migration.)
 */
function previousRelease(): { commit: string; migrationCount: number } | null {
  let changes: string[];
  try {
    changes = git(['log', '--format=%H', 'HEAD', '--', MIGRATIONS]).split('\n').filter(Boolean);
  } catch {
    return null; // not a git checkout
  }
  for (const change of changes) {
    let files: string[];
    try {
      files = git(['ls-tree', '--name-only', `${change}^`, `${MIGRATIONS}/`]).split('\n');
    } catch {
      continue; // the first commit has no parent
    }
    const released = files.filter((f) => /\/\d{4}_[^/]+\.ts$/.test(f));
    if (released.length === 0 || released.length >= Object.keys(migrations).length) continue;
    const unchanged = released.every(
      (f) =>
        fs.existsSync(path.join(repo, f)) &&
        git(['show', `${change}^:${f}`]) === fs.readFileSync(path.join(repo, f), 'utf8').trim(),
    );
    if (unchanged) return { commit: git(['rev-parse', `${change}^`]), migrationCount: released.length };
  }
  return null;
}

const release = previousRelease();
/** That release's db/src, checked out inside db/ so its imports resolve to this checkout's packages. */
const checkout = release ? path.join(repo, 'db', `.release-${release.commit.slice(0, 12)}-${process.pid}`) : '';

interface ReleaseDb {
  // biome-ignore lint/suspicious/noExplicitAny: the previous release's own schema type
  migrateToLatest(db: Kysely<any>): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: the previous release's own schema type
  seedDemo(db: Kysely<any>, env?: NodeJS.ProcessEnv): Promise<void>;
}

describe.skipIf(!release)('migrations from the previous release', () => {
  afterAll(() => {
    if (checkout) fs.rmSync(checkout, { recursive: true, force: true });
  });

  it.each(storageTargets())(
    'upgrade a $dialect database of the previous release, with its data, to this schema',
    async (target: StorageTarget) => {
      const { commit, migrationCount } = release as NonNullable<typeof release>;
      if (!fs.existsSync(checkout)) {
        fs.mkdirSync(checkout, { recursive: true });
        execFileSync('sh', ['-c', `git archive ${commit} db/src | tar -x -C ${JSON.stringify(checkout)}`], {
          cwd: repo,
        });
      }
      const old = (await import(path.join(checkout, 'db/src/index.ts'))) as ReleaseDb;
      const database = await target.create({ migrate: false });
      try {
        await old.migrateToLatest(database.db);
        await old.seedDemo(database.db, {});
        const before = await database.db.selectFrom('staff').select(['id', 'username', 'password_hash']).execute();
        expect(before.length).toBeGreaterThan(0);

        const result = await migrateToLatest(database.db);
        expect(result.results?.map((r) => r.status)).toEqual(
          Object.keys(migrations)
            .slice(migrationCount)
            .map(() => 'Success'),
        );
        // The release's rows survive, untouched, and today's code works on them.
        const after = await database.db.selectFrom('staff').select(['id', 'username', 'password_hash']).execute();
        expect(after).toEqual(before);
        await seedDemo(database.db, {});
        const store = await database.db
          .selectFrom('store')
          .select('code')
          .where('id', '=', demoIds.store('SH001'))
          .executeTakeFirstOrThrow();
        expect(store.code).toBe('SH001');
        expect(await database.db.selectFrom('orders').select('id').execute()).toEqual([]);
      } finally {
        await database.drop();
      }
    },
    60_000,
  );
});
