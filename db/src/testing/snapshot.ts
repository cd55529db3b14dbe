import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../connect';

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
