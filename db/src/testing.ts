import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle, type DialectName } from './connect';
import { migrateToLatest } from './migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL (no database) of the MariaDB/MySQL every storage test also runs on, or null. */
    mysqlUrl: string | null;
    /** Redis URL every cache test also runs on, or null. */
    redisUrl: string | null;
  }
}

export interface StorageTarget {
  dialect: DialectName;
  /** Creates a fresh, migrated (unless `migrate: false`), empty database of this kind. */
  create(options?: CreateOptions): Promise<TestDatabase>;
}

export interface CreateOptions {
  /** false: no tables at all, for tests that migrate it themselves. */
  migrate?: boolean;
}

export interface TestDatabase extends DatabaseHandle {
  /** DATABASE_URL of this database, for starting a BFF process against it. */
  url: string;
  /** Closes the connection and deletes the database. */
  drop(): Promise<void>;
}

/**
 * The storages every storage test runs on: SQLite always, and the real MariaDB when the global
 * setup found one (always, under CI=true). Use with `describe.each(storageTargets())`.
 */
export function storageTargets(): StorageTarget[] {
  const targets: StorageTarget[] = [{ dialect: 'sqlite', create: createSqliteTestDatabase }];
  const mysqlUrl = inject('mysqlUrl');
  if (mysqlUrl) targets.push({ dialect: 'mysql', create: (options) => createMysqlTestDatabase(mysqlUrl, options) });
  return targets;
}

/** The Redis URL cache tests also run on, when there is one. */
export function testRedisUrl(): string | null {
  return inject('redisUrl');
}

/** A unique name prefix for keys or databases of one test run. */
export function uniqueTestName(prefix: string): string {
  return `${prefix}_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}

export async function createSqliteTestDatabase(options: CreateOptions = {}): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-test-'));
  const file = path.join(dir, 'heyi.db');
  const handle = await connectDatabase(file);
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: file,
    drop: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createMysqlTestDatabase(serverUrl: string, options: CreateOptions = {}): Promise<TestDatabase> {
  const name = uniqueTestName('heyi_t');
  const admin = await createConnection({ uri: serverUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const url = `${serverUrl.replace(/\/+$/, '')}/${name}`;
  const handle = await connectDatabase(url);
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      const conn = await createConnection({ uri: serverUrl });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/** Row count and a checksum of every row, per table: equal snapshots mean nothing was written. */
export type TableSnapshot = Record<string, { rows: number; checksum: string }>;

/**
 * Snapshots every table of the database (the migration bookkeeping aside), on SQLite and MySQL
 * alike, so that two snapshots are equal exactly when no row was added, removed or changed.
 * MySQL checksums on the server (`CHECKSUM TABLE`, one round trip); SQLite hashes the rows here.
 * Meant for small test databases.
 */
export async function snapshotTables(handle: Pick<DatabaseHandle, 'db' | 'dialect'>): Promise<TableSnapshot> {
  const { db } = handle;
  const tables = await tableNames(handle);
  const counts = await sql<{ t: string; n: number | string }>`${sql.join(
    tables.map((t) => sql`select ${t} as t, count(*) as n from ${sql.table(t)}`),
    sql` union all `,
  )}`.execute(db);
  const rows = new Map(counts.rows.map((r) => [r.t, Number(r.n)]));
  const out: TableSnapshot = {};
  if (handle.dialect === 'mysql') {
    const sums = await sql<{ Table: string; Checksum: string | number | null }>`checksum table ${sql.join(
      tables.map((t) => sql.table(t)),
    )}`.execute(db);
    for (const s of sums.rows) {
      const table = s.Table.split('.').pop() as string;
      out[table] = { rows: rows.get(table) ?? 0, checksum: String(s.Checksum) };
    }
    return out;
  }
  for (const table of tables) {
    const { rows: all } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    const lines = all.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
    out[table] = { rows: rows.get(table) ?? 0, checksum: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return out;
}

const known = new WeakMap<object, Promise<string[]>>();

/** The table names, read once per database (a plain list: information_schema joins need temp files). */
function tableNames(handle: Pick<DatabaseHandle, 'db' | 'dialect'>): Promise<string[]> {
  let names = known.get(handle.db);
  if (!names) {
    const query =
      handle.dialect === 'mysql'
        ? sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = database()`
        : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
    names = query.execute(handle.db).then((r) =>
      r.rows
        .map((row) => row.name)
        .filter((name) => !name.startsWith('kysely_'))
        .sort(),
    );
    known.set(handle.db, names);
  }
  return names;
}
