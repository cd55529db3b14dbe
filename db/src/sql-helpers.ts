import { type Kysely, MysqlAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: these helpers work on any table of any schema
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnySet = any;

export function isMysqlDb(db: { getExecutor(): { adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/**
 * Insert-or-update in the SQL every target accepts: `ON DUPLICATE KEY UPDATE` on MySQL, MariaDB
 * and TiDB (no `RETURNING`), `ON CONFLICT … DO UPDATE` on SQLite. `conflict` names the unique key's
 * columns (SQLite needs them; MySQL infers the key). `update` lists the columns to overwrite with
 * the new row's values; an empty list makes it an insert-if-absent.
 */
export async function upsert(
  db: AnyDb,
  table: string,
  values: Record<string, unknown> | Record<string, unknown>[],
  conflict: string[],
  update: string[],
): Promise<void> {
  const rows = Array.isArray(values) ? values : [values];
  if (rows.length === 0) return;
  const insert = db.insertInto(table).values(rows);
  if (isMysqlDb(db)) {
    // `SET c = c` rather than INSERT IGNORE: IGNORE would also swallow truncation and FK errors.
    const first = conflict[0] as string;
    if (update.length === 0) {
      await insert.onDuplicateKeyUpdate({ [first]: sql.ref(first) } as AnySet).execute();
      return;
    }
    await insert
      .onDuplicateKeyUpdate(Object.fromEntries(update.map((c) => [c, sql`VALUES(${sql.ref(c)})`])) as AnySet)
      .execute();
    return;
  }
  await insert
    .onConflict((oc) => {
      const target = oc.columns(conflict as never);
      return update.length === 0
        ? target.doNothing()
        : target.doUpdateSet(Object.fromEntries(update.map((c) => [c, sql`excluded.${sql.ref(c)}`])) as AnySet);
    })
    .execute();
}

/**
 * Inserts a row unless one with the same unique key exists. Answers whether this call inserted it,
 * which is how idempotent writes learn they are the first.
 */
export async function insertIfAbsent(
  db: AnyDb,
  table: string,
  values: Record<string, unknown>,
  conflict: string[],
): Promise<boolean> {
  const q = db.insertInto(table).values(values);
  const first = conflict[0] as string;
  // On MySQL a no-op `SET c = c` reports 0 affected rows for an existing row, 1 for a new one.
  const result = isMysqlDb(db)
    ? await q.onDuplicateKeyUpdate({ [first]: sql.ref(first) } as AnySet).executeTakeFirst()
    : await q.onConflict((oc) => oc.columns(conflict as never).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Number of rows an UPDATE or DELETE touched, as a plain number. */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}

/**
 * Adds to counters: inserts the rows, or on their unique key adds each `add` column's value to the
 * stored one (`c = c + VALUES(c)` / `c = c + excluded.c`). Rollups use it so that concurrent
 * writers never read-modify-write a total.
 */
export async function upsertAdd(
  db: AnyDb,
  table: string,
  values: Record<string, unknown>[],
  conflict: string[],
  add: string[],
): Promise<void> {
  if (values.length === 0) return;
  const insert = db.insertInto(table).values(values);
  if (isMysqlDb(db)) {
    await insert
      .onDuplicateKeyUpdate(
        Object.fromEntries(add.map((c) => [c, sql`${sql.ref(c)} + VALUES(${sql.ref(c)})`])) as AnySet,
      )
      .execute();
    return;
  }
  await insert
    .onConflict((oc) =>
      oc
        .columns(conflict as never)
        .doUpdateSet(
          Object.fromEntries(add.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + excluded.${sql.ref(c)}`])) as AnySet,
        ),
    )
    .execute();
}
