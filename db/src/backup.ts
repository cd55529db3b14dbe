import fs from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl } from './connect';

export class BackupError extends Error {}

/**
 * An online backup of the embedded SQLite database (SQLite's backup API through better-sqlite3):
 * a consistent copy taken while the BFF keeps serving and writing. MySQL, MariaDB and TiDB are
 * backed up with their own tools (see docs/deploy.md).
 */
export async function backupDatabase(
  databaseUrl: string | undefined,
  target: string,
): Promise<{ file: string; pages: number }> {
  const source = parseDatabaseUrl(databaseUrl);
  if (source.dialect !== 'sqlite') {
    throw new BackupError('backup copies the embedded SQLite database; back up MySQL/TiDB with its own tools');
  }
  const file = path.resolve(target);
  if (file === path.resolve(source.file)) throw new BackupError('the backup file cannot be the database itself');
  if (!fs.existsSync(source.file)) throw new BackupError(`no database at ${source.file}`);
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const db = new SqliteDatabase(source.file, { readonly: true, fileMustExist: true });
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { totalPages } = await db.backup(file);
    return { file, pages: totalPages };
  } finally {
    db.close();
  }
}
