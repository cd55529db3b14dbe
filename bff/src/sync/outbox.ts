import { type Database, insertIfAbsent, newId } from 'db';
import type { Kysely, Transaction } from 'kysely';

export interface OutboxMessage {
  topic: string;
  payload: unknown;
  /**
   * A permanent identity for this piece of work (e.g. `meituan:confirm:<orderId>`): a second
   * enqueue with the same key is a no-op, however long ago the first one ran.
   */
  dedupeKey?: string;
  /**
   * Messages with the same aggregate id are delivered one at a time, in the order they were
   * queued (an order's confirm goes out before its meal-ready).
   */
  aggregateId?: string;
  /** Deliver no earlier than this many milliseconds from now. */
  delayMs?: number;
}

/**
 * Queues outbound work in the caller's transaction, so the work exists if and only if the change
 * that caused it committed. The sync worker delivers it. Answers false for a duplicate dedupe key.
 */
export async function enqueue(
  db: Kysely<Database> | Transaction<Database>,
  message: OutboxMessage,
  now: number,
): Promise<boolean> {
  const row = {
    id: newId(now),
    topic: message.topic,
    dedupe_key: message.dedupeKey ?? null,
    aggregate_id: message.aggregateId ?? null,
    payload: JSON.stringify(message.payload),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now + (message.delayMs ?? 0),
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    done_at: null,
  } as const;
  if (!message.dedupeKey) {
    await db.insertInto('outbox').values(row).execute();
    return true;
  }
  return insertIfAbsent(db, 'outbox', row, ['dedupe_key']);
}
