import { affected, type Database, newId, type OutboxTable } from 'db';
import { type Kysely, sql } from 'kysely';

type OutboxRow = OutboxTable;

import type { Cache } from '../cache';
import type { Metrics } from '../http/metrics';
import type { Clock } from '../lib/clock';
import { dependencyOutage } from '../lib/dependency-outage';
import type { Logger } from '../logger';

/** Try again later without counting a failure: a rate limit, a dependency not ready yet. */
export class DeferDelivery extends Error {
  constructor(
    readonly delayMs: number,
    reason = 'deferred',
  ) {
    super(reason);
  }
}

/** Give up now: retrying cannot help (the platform refused the request as invalid, the order moved on). */
export class AbandonDelivery extends Error {}

export interface DeliveryContext {
  id: string;
  attempts: number;
  now: number;
}

export type TopicHandler = (payload: unknown, context: DeliveryContext) => Promise<void>;

export interface TopicOptions {
  /** Failures before the message is dead-lettered; default 25 (about a day with the backoff). */
  maxAttempts?: number;
}

export interface WorkerOptions {
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed message is ours before another process may take it over. */
  leaseMs?: number;
  /** The first retry's delay, doubled for each failure after it (default 1 s). */
  backoffBaseMs?: number;
  /** The longest delay between retries (default 10 minutes). */
  backoffMaxMs?: number;
}

const WAKE_CHANNEL = 'outbox:wake';
const OUTAGE_DEFER_MS = 5000;

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 10 minutes (by default). */
export function backoffMs(attempts: number, random = Math.random, baseMs = 1000, maxMs = 600_000): number {
  const base = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * Delivers outbox messages with retry, backoff and dead-lettering. Safe with any number of BFF
 * processes: a message is claimed by a conditional UPDATE (never read-then-write), and a claim
 * that outlives its lease (the process died) is taken over by another worker.
 */
export class OutboxWorker {
  private readonly handlers = new Map<string, { handle: TopicHandler; options: TopicOptions }>();
  private readonly workerId = `w-${newId().slice(-10)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private halting = false;
  private wakeRequested = false;
  private failedPolls = 0;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
    options: WorkerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 600_000;
  }

  register(topic: string, handle: TopicHandler, options: TopicOptions = {}): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic registered twice: ${topic}`);
    this.handlers.set(topic, { handle, options });
  }

  topics(): string[] {
    return [...this.handlers.keys()];
  }

  /** Tells every process's worker to poll now (after a commit that queued urgent work). */
  async wake(): Promise<void> {
    await this.cache.publish(WAKE_CHANNEL, '1');
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.halting = false;
    this.unsubscribe = await this.cache.subscribe(WAKE_CHANNEL, () => this.kick());
    this.schedule(0);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(() => {
          if (this.failedPolls > 0) this.logger.info({ failedPolls: this.failedPolls }, 'outbox polling again');
          this.failedPolls = 0;
        })
        .catch((err) => {
          // The database is down: say so once, then poll less often until it answers.
          if (this.failedPolls === 0) this.logger.error({ err }, 'outbox poll failed; backing off until it succeeds');
          this.failedPolls++;
        })
        .finally(() => {
          this.running = undefined;
          const again = this.wakeRequested && this.failedPolls === 0;
          this.wakeRequested = false;
          const backoff = Math.min(10_000, this.pollMs * 2 ** Math.min(this.failedPolls, 5));
          this.schedule(again ? 0 : this.failedPolls > 0 ? backoff : this.pollMs);
        });
    }, ms);
    this.timer.unref?.();
  }

  /** Delivers everything due now; answers how many messages were handled. Tests call it directly. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return total;
      await Promise.all(claimed.map((row) => this.deliver(row)));
      total += claimed.length;
      if (this.halting) return total;
    }
  }

  private async claim() {
    const now = this.clock.now();
    const topics = this.topics();
    if (topics.length === 0) return [];
    // Candidates: due, unclaimed (or lease expired), and first in line for their aggregate.
    const candidates = await this.db
      .selectFrom('outbox as o')
      .select(['o.id'])
      .where('o.status', '=', 'pending')
      .where('o.topic', 'in', topics)
      .where('o.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', now)]))
      .where((eb) =>
        eb.or([
          eb('o.aggregate_id', 'is', null),
          eb.not(
            eb.exists(
              eb
                .selectFrom('outbox as p')
                .select(sql`1`.as('one'))
                .where('p.status', '=', 'pending')
                .whereRef('p.aggregate_id', '=', 'o.aggregate_id')
                .whereRef('p.id', '<', 'o.id'),
            ),
          ),
        ]),
      )
      .orderBy('o.next_attempt_at')
      .orderBy('o.id')
      .limit(this.batchSize)
      .execute();
    const claimed: { id: string; topic: string; payload: string; attempts: number }[] = [];
    for (const { id } of candidates) {
      const result = await this.db
        .updateTable('outbox')
        .set({ locked_by: this.workerId, locked_until: now + this.leaseMs, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .executeTakeFirst();
      if (affected(result) !== 1) continue;
      const row = await this.db
        .selectFrom('outbox')
        .select(['id', 'topic', 'payload', 'attempts'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      claimed.push(row);
    }
    return claimed;
  }

  private async deliver(row: { id: string; topic: string; payload: string; attempts: number }): Promise<void> {
    const entry = this.handlers.get(row.topic);
    if (!entry) return;
    const now = this.clock.now();
    const mine = (set: Partial<Record<keyof OutboxRow, unknown>>) =>
      this.db
        .updateTable('outbox')
        .set(set as never)
        .where('id', '=', row.id)
        .where('locked_by', '=', this.workerId);
    try {
      await entry.handle(JSON.parse(row.payload), { id: row.id, attempts: row.attempts, now });
      const done = this.clock.now();
      await mine({
        status: 'done',
        done_at: done,
        updated_at: done,
        locked_by: null,
        locked_until: null,
        last_error: null,
      }).execute();
      this.metrics?.outboxDelivered.inc({ topic: row.topic, result: 'done' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const later = this.clock.now();
      // A dependency outage (Redis needed for a lock or token, a database blip) is not the
      // message's fault: try again soon without counting an attempt towards dead-lettering.
      const deferMs = err instanceof DeferDelivery ? err.delayMs : dependencyOutage(err) ? OUTAGE_DEFER_MS : null;
      if (deferMs !== null) {
        await mine({
          next_attempt_at: later + deferMs,
          locked_by: null,
          locked_until: null,
          last_error: message.slice(0, 2000),
          updated_at: later,
        }).execute();
        this.metrics?.outboxDelivered.inc({ topic: row.topic, result: 'deferred' });
        return;
      }
      const attempts = row.attempts + 1;
      const dead = err instanceof AbandonDelivery || attempts >= (entry.options.maxAttempts ?? 25);
      await mine({
        status: dead ? 'dead' : 'pending',
        attempts,
        next_attempt_at: later + backoffMs(attempts, Math.random, this.backoffBaseMs, this.backoffMaxMs),
        locked_by: null,
        locked_until: null,
        last_error: message.slice(0, 2000),
        updated_at: later,
      }).execute();
      this.metrics?.outboxDelivered.inc({ topic: row.topic, result: dead ? 'dead' : 'retry' });
      const log = { topic: row.topic, id: row.id, attempts, err: message };
      if (dead) this.logger.error(log, 'outbox message dead-lettered');
      else this.logger.warn(log, 'outbox delivery failed; will retry');
    }
  }

  /** Stops polling and waits for the delivery in progress; claimed-but-unfinished work is retaken after its lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.unsubscribe?.();
    await this.running;
  }
}
