import { type Database, insertIfAbsent, newId } from 'db';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../logger';
import { enqueue } from '../../sync/outbox';
import type { OutboxWorker } from '../../sync/worker';

export type InboxRow = Selectable<Database['push_inbox']>;
export type Platform = 'meituan' | 'eleme';

export interface PushRecord {
  platform: Platform;
  pushType: string;
  dedupeKey: string;
  storeId: string;
  /** The platform's order id, when the push is about one: pushes of one order apply in arrival order. */
  orderKey: string | null;
  body: string;
  meta: Record<string, unknown>;
}

export interface ApplyOutcome {
  /** applied; parked (its order has not arrived yet: applied when it does); ignored (nothing to do). */
  status: 'applied' | 'parked' | 'ignored';
  note?: string;
}

export type PushApplier = (row: InboxRow) => Promise<ApplyOutcome>;

/**
 * A recorded push that can never apply (it fails the receiver's checks: recorded before the receiver
 * refused such values): the inbox closes it as `ignored` with the reason instead of retrying it.
 */
export class UnappliablePush extends Error {}

export const pushTopic = (platform: Platform) => `orders.push.${platform}`;

/**
 * Every platform push is recorded here before the platform gets its answer, with an outbox message
 * to apply it in the same transaction: a process that dies after answering loses nothing (another
 * worker, or this one after a restart, applies it). The dedupe key is unique, so the same push
 * ten times is recorded once. Pushes of one order share an outbox aggregate and so apply in the
 * order they arrived; one that finds no order yet is parked and applied when the order arrives.
 */
export class PushInbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly wake: () => Promise<void>,
  ) {}

  async record(push: PushRecord): Promise<{ id: string; duplicate: boolean }> {
    const now = this.clock.now();
    const id = newId(now);
    const inserted = await this.db.transaction().execute(async (trx) => {
      const fresh = await insertIfAbsent(
        trx,
        'push_inbox',
        {
          id,
          platform: push.platform,
          push_type: push.pushType,
          dedupe_key: push.dedupeKey.slice(0, 191),
          store_id: push.storeId,
          order_key: push.orderKey,
          body: push.body,
          meta: JSON.stringify(push.meta),
          status: 'received',
          note: null,
          received_at: now,
          applied_at: null,
        },
        ['platform', 'dedupe_key'],
      );
      if (fresh) await this.enqueueApply(trx, id, push.platform, push.orderKey, `push:${id}`, now);
      return fresh;
    });
    if (inserted) this.wake().catch((err) => this.logger.warn({ err }, 'outbox wake failed'));
    return { id, duplicate: !inserted };
  }

  private enqueueApply(
    db: Kysely<Database>,
    inboxId: string,
    platform: Platform,
    orderKey: string | null,
    dedupeKey: string,
    now: number,
  ) {
    return enqueue(
      db,
      {
        topic: pushTopic(platform),
        payload: { inboxId },
        aggregateId: orderKey ? `${platform}:${orderKey}`.slice(0, 64) : undefined,
        dedupeKey,
      },
      now,
    );
  }

  /** The store an order of this platform belongs to, if we have it. */
  async storeOfOrder(platform: Platform, orderKey: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(['store_id'])
      .where('channel', '=', platform)
      .where('channel_order_id', '=', orderKey)
      .executeTakeFirst();
    return row?.store_id;
  }

  /**
   * A push is never applied to an order of another store than the one it was signed for. The
   * receivers refuse it when the order is already here; one that arrived before its order is
   * caught here, when it is applied.
   */
  private async otherStore(row: InboxRow): Promise<ApplyOutcome | null> {
    if (!row.order_key) return null;
    const owner = await this.storeOfOrder(row.platform as Platform, row.order_key);
    if (owner === undefined || owner === row.store_id) return null;
    return { status: 'ignored', note: `order ${row.order_key} belongs to another store than the push was signed for` };
  }

  get(id: string): Promise<InboxRow | undefined> {
    return this.db.selectFrom('push_inbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Pushes that were waiting for this order are applied now, after it, in their arrival order. */
  async unpark(platform: Platform, orderKey: string): Promise<number> {
    const parked = await this.db
      .selectFrom('push_inbox')
      .select(['id'])
      .where('platform', '=', platform)
      .where('order_key', '=', orderKey)
      .where('status', '=', 'parked')
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    let count = 0;
    for (const { id } of parked) {
      const now = this.clock.now();
      const requeued = await this.db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('push_inbox')
          .set({ status: 'received', note: 'unparked' })
          .where('id', '=', id)
          .where('status', '=', 'parked')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return false;
        await this.enqueueApply(trx, id, platform, orderKey, `push:${id}:${newId(now)}`, now);
        return true;
      });
      if (requeued) count++;
    }
    if (count > 0) await this.wake();
    return count;
  }

  private async finish(id: string, outcome: ApplyOutcome): Promise<void> {
    const now = this.clock.now();
    await this.db
      .updateTable('push_inbox')
      .set({
        status: outcome.status,
        note: outcome.note?.slice(0, 2000) ?? null,
        applied_at: outcome.status === 'parked' ? null : now,
      })
      .where('id', '=', id)
      .where('status', '=', 'received')
      .execute();
  }

  /** Applies recorded pushes of one platform from the outbox; a failure is retried with backoff. */
  register(outbox: OutboxWorker, platform: Platform, apply: PushApplier): void {
    outbox.register(
      pushTopic(platform),
      async (payload) => {
        const { inboxId } = z.object({ inboxId: z.string() }).parse(payload);
        const row = await this.get(inboxId);
        if (row?.status !== 'received') return;
        const outcome =
          (await this.otherStore(row)) ??
          (await apply(row).catch((err: unknown) => {
            if (!(err instanceof UnappliablePush)) throw err;
            return { status: 'ignored', note: `malformed: ${err.message}` } satisfies ApplyOutcome;
          }));
        await this.finish(row.id, outcome);
        if (outcome.status !== 'applied') {
          this.logger.info({ inboxId, type: row.push_type, ...outcome }, `${platform} push ${outcome.status}`);
        }
      },
      { maxAttempts: 50 },
    );
  }
}
