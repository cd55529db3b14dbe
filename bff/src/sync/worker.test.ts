import { storageTargets, type TestDatabase } from 'db/testing';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../cache';
import { ManualClock } from '../lib/clock';
import { enqueue } from './outbox';
import { AbandonDelivery, backoffMs, DeferDelivery, OutboxWorker } from './worker';

const silent = pino({ level: 'silent' });

describe.each(storageTargets())('outbox on $dialect', (storage) => {
  let t: TestDatabase;
  const clock = new ManualClock(1_000_000);
  const cache = new MemoryCache();
  beforeAll(async () => {
    t = await storage.create();
  });
  afterAll(async () => {
    await cache.close();
    await t?.drop();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('outbox').execute();
  });

  const statusOf = async (topic: string) =>
    t.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('topic', '=', topic).execute();

  it('delivers a message once and marks it done', async () => {
    const worker = new OutboxWorker(t.db, cache, clock, silent);
    const seen: unknown[] = [];
    worker.register('t.once', async (p) => {
      seen.push(p);
    });
    await enqueue(t.db, { topic: 't.once', payload: { orderId: '5301890193521352344' } }, clock.now());
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(seen).toEqual([{ orderId: '5301890193521352344' }]);
    expect(await statusOf('t.once')).toEqual([{ status: 'done', attempts: 0, last_error: null }]);
  });

  it('ignores a second enqueue with the same dedupe key', async () => {
    expect(await enqueue(t.db, { topic: 't.dedupe', payload: 1, dedupeKey: 'confirm:1' }, clock.now())).toBe(true);
    expect(await enqueue(t.db, { topic: 't.dedupe', payload: 2, dedupeKey: 'confirm:1' }, clock.now())).toBe(false);
    expect(await statusOf('t.dedupe')).toHaveLength(1);
  });

  it('retries a failure with backoff, then succeeds', async () => {
    const worker = new OutboxWorker(t.db, cache, clock, silent);
    let calls = 0;
    worker.register('t.flaky', async () => {
      calls++;
      if (calls < 3) throw new Error(`platform said no (${calls})`);
    });
    await enqueue(t.db, { topic: 't.flaky', payload: {} }, clock.now());
    await worker.drain();
    expect(await statusOf('t.flaky')).toEqual([{ status: 'pending', attempts: 1, last_error: 'platform said no (1)' }]);
    expect(await worker.drain()).toBe(0); // not due yet
    clock.advance(backoffMs(1, () => 1) + 1);
    await worker.drain();
    clock.advance(backoffMs(2, () => 1) + 1);
    await worker.drain();
    expect(calls).toBe(3);
    expect((await statusOf('t.flaky'))[0]?.status).toBe('done');
  });

  it('waits the configured backoff between retries, doubling up to its cap', async () => {
    const worker = new OutboxWorker(t.db, cache, clock, silent, undefined, { backoffBaseMs: 100, backoffMaxMs: 300 });
    worker.register('t.fast', async () => {
      throw new Error('still down');
    });
    await enqueue(t.db, { topic: 't.fast', payload: {} }, clock.now());
    const due = async () =>
      (
        await t.db
          .selectFrom('outbox')
          .select('next_attempt_at')
          .where('topic', '=', 't.fast')
          .executeTakeFirstOrThrow()
      ).next_attempt_at - clock.now();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await worker.drain();
      delays.push(await due());
      clock.advance(delays[i] as number);
    }
    // 100, 200, 300 (capped), 300, each ±25 %.
    for (const [i, base] of [100, 200, 300, 300].entries()) {
      expect(delays[i]).toBeGreaterThanOrEqual(base * 0.75);
      expect(delays[i]).toBeLessThanOrEqual(base * 1.25);
    }
  });

  it('defers without counting a failure, and dead-letters what cannot succeed', async () => {
    const worker = new OutboxWorker(t.db, cache, clock, silent);
    let deferred = false;
    worker.register('t.defer', async () => {
      if (!deferred) {
        deferred = true;
        throw new DeferDelivery(500, 'rate limited');
      }
    });
    worker.register('t.bad', async () => {
      throw new AbandonDelivery('VALIDATION_FAILED: bad spec');
    });
    await enqueue(t.db, { topic: 't.defer', payload: {} }, clock.now());
    await enqueue(t.db, { topic: 't.bad', payload: {} }, clock.now());
    await worker.drain();
    expect(await statusOf('t.defer')).toEqual([{ status: 'pending', attempts: 0, last_error: 'rate limited' }]);
    expect(await statusOf('t.bad')).toEqual([
      { status: 'dead', attempts: 1, last_error: 'VALIDATION_FAILED: bad spec' },
    ]);
    clock.advance(501);
    await worker.drain();
    expect((await statusOf('t.defer'))[0]?.status).toBe('done');
  });

  it('delivers messages of one aggregate in order, one at a time', async () => {
    const worker = new OutboxWorker(t.db, cache, clock, silent);
    const order: string[] = [];
    let failFirst = true;
    worker.register('t.seq', async (p) => {
      const step = (p as { step: string }).step;
      if (step === 'confirm' && failFirst) {
        failFirst = false;
        throw new Error('timeout');
      }
      order.push(step);
    });
    await enqueue(t.db, { topic: 't.seq', payload: { step: 'confirm' }, aggregateId: 'order:1' }, clock.now());
    await enqueue(t.db, { topic: 't.seq', payload: { step: 'ready' }, aggregateId: 'order:1' }, clock.now());
    await enqueue(t.db, { topic: 't.seq', payload: { step: 'other' }, aggregateId: 'order:2' }, clock.now());
    await worker.drain();
    // The failed confirm holds back order 1's meal-ready; order 2 is not held back.
    expect(order).toEqual(['other']);
    clock.advance(60_000);
    await worker.drain();
    expect(order).toEqual(['other', 'confirm', 'ready']);
  });

  it('lets two workers share the queue without delivering anything twice', async () => {
    const seen: number[] = [];
    const a = new OutboxWorker(t.db, cache, clock, silent, undefined, { batchSize: 7 });
    const b = new OutboxWorker(t.db, cache, clock, silent, undefined, { batchSize: 7 });
    for (const w of [a, b]) {
      w.register('t.shared', async (p) => {
        seen.push(p as number);
      });
    }
    for (let i = 0; i < 60; i++) await enqueue(t.db, { topic: 't.shared', payload: i }, clock.now());
    await Promise.all([a.drain(), b.drain()]);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('takes over a message whose worker died holding it', async () => {
    const dead = new OutboxWorker(t.db, cache, clock, silent, undefined, { leaseMs: 10_000 });
    dead.register('t.lease', () => new Promise(() => {})); // never finishes: the process "died"
    await enqueue(t.db, { topic: 't.lease', payload: {} }, clock.now());
    void dead.drain();
    await new Promise((r) => setTimeout(r, 50));
    const alive = new OutboxWorker(t.db, cache, clock, silent);
    let delivered = 0;
    alive.register('t.lease', async () => {
      delivered++;
    });
    expect(await alive.drain()).toBe(0);
    clock.advance(10_001);
    expect(await alive.drain()).toBe(1);
    expect(delivered).toBe(1);
  });
});
