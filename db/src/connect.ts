import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema';

export type DialectName = 'mysql' | 'sqlite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, with any password removed: safe to log and print. */
  describe: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** mysql2 pool size; ignored for SQLite. */
  poolSize?: number;
}

/** Repo root, so the default SQLite file is the same wherever a command is run from. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultSqlitePath = path.join(repoRoot, '.data', 'heyi.db');

export type ParsedDatabaseUrl = { dialect: 'mysql'; url: string } | { dialect: 'sqlite'; file: string };

/**
 * `mysql://user:pass@host:port/db` selects MySQL/MariaDB/TiDB; a file path or a `file:` URL
 * selects SQLite; nothing selects the embedded default `.data/heyi.db`.
 */
export function parseDatabaseUrl(url: string | undefined): ParsedDatabaseUrl {
  if (!url || url.trim() === '') return { dialect: 'sqlite', file: defaultSqlitePath };
  const value = url.trim();
  if (/^(mysql|mariadb):\/\//i.test(value)) {
    return { dialect: 'mysql', url: value.replace(/^mariadb:/i, 'mysql:') };
  }
  if (/^file:/i.test(value)) {
    const rest = value.slice('file:'.length);
    // file:///abs/path, file:relative/path and file:./relative/path are all accepted
    const file = rest.startsWith('//') ? fileURLToPath(value) : rest;
    return { dialect: 'sqlite', file: path.resolve(file) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error(`DATABASE_URL must be mysql://… or a SQLite file path; got scheme of ${redactUrl(value)}`);
  }
  return { dialect: 'sqlite', file: path.resolve(value) };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Each driver is loaded only when used, so a process loads (and starts with) just its own. */
export async function connectDatabase(url: string | undefined, options: ConnectOptions = {}): Promise<DatabaseHandle> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'mysql') return connectMysql(parsed.url, options);
  return connectSqlite(parsed.file);
}

async function connectMysql(url: string, options: ConnectOptions): Promise<DatabaseHandle> {
  const { default: mysql } = await import('mysql2');
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: options.poolSize ?? 10,
    charset: 'utf8mb4_bin',
    // Money sums come back as DECIMAL; fen fits in a double exactly up to 2^53.
    decimalNumbers: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    timezone: 'Z',
    // Without FOUND_ROWS, affectedRows counts rows actually changed, so an idempotent
    // `INSERT … ON DUPLICATE KEY UPDATE c = c` reports 0 for an existing row. SQLite counts rows
    // matched instead, so conditional UPDATEs must always change a column (a version or a time).
    flags: ['-FOUND_ROWS'],
    enableKeepAlive: true,
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  return {
    db,
    dialect: 'mysql',
    describe: redactUrl(url),
    close: () => db.destroy(),
  };
}

async function connectSqlite(file: string): Promise<DatabaseHandle> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (a CLI command, a second test worker) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    describe: file,
    close: () => db.destroy(),
  };
}
