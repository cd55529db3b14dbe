import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** Creates a fresh, migrated, empty database of this kind. */
  create(): Promise<TestDatabase>;
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
  if (mysqlUrl) targets.push({ dialect: 'mysql', create: () => createMysqlTestDatabase(mysqlUrl) });
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

export async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-test-'));
  const file = path.join(dir, 'heyi.db');
  const handle = await connectDatabase(file);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: file,
    drop: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createMysqlTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = uniqueTestName('heyi_t');
  const admin = await createConnection({ uri: serverUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const url = `${serverUrl.replace(/\/+$/, '')}/${name}`;
  const handle = await connectDatabase(url);
  await migrateToLatest(handle.db);
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
export { snapshotTables, type TableSnapshot } from './testing/snapshot';
