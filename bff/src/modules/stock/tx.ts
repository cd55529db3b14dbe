import { type Database, isMysqlDb } from 'db';
import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';

export type Db = Kysely<Database> | Transaction<Database>;

/** MySQL deadlock (1213) or lock-wait timeout (1205), SQLite busy: the whole transaction may simply run again. */
function isLockConflict(err: unknown): boolean {
  const e = err as { errno?: number; code?: string };
  return e?.errno === 1213 || e?.errno === 1205 || e?.code === 'SQLITE_BUSY';
}

/**
 * Runs `work` in one transaction. Under contention InnoDB may pick this transaction as a deadlock
 * victim (two orders locking the same dishes in a different order); it was rolled back whole, so
 * running it again is safe. Work must not touch anything outside the transaction.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      if (attempt >= 6 || !isLockConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/**
 * Runs a single autocommit statement (or a few) again when InnoDB picks it as a deadlock victim:
 * e.g. creating a row another transaction holds a shared lock on.
 */
export async function retryOnLockConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 6 || !isLockConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/**
 * `FOR UPDATE` on MySQL, where a plain read inside a transaction sees an old snapshot. SQLite has
 * no row locks: a write transaction there already excludes every other writer.
 */
export function locking<DB, TB extends keyof DB, O>(
  db: Db,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return isMysqlDb(db) ? query.forUpdate() : query;
}
