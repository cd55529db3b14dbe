import { storageTargets, type TestDatabase } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { AppError } from './errors';
import { IdempotencyStore, requestHash } from './idempotency';

describe('requestHash', () => {
  it('ignores key order but not values', () => {
    expect(requestHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(requestHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });
});

describe.each(storageTargets())('idempotency on $dialect', (storage) => {
  let t: TestDatabase;
  const clock = new ManualClock(5_000_000);
  let store: IdempotencyStore;
  beforeAll(async () => {
    t = await storage.create();
    store = new IdempotencyStore(t.db, clock);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('runs the work once and replays its answer to a retry', async () => {
    let runs = 0;
    const work = async () => ({ status: 201, body: { orderId: `o${++runs}` } });
    const first = await store.run('mp.order', 'key-aaaaaaaa', { sku: 'A', qty: 1 }, work);
    const again = await store.run('mp.order', 'key-aaaaaaaa', { qty: 1, sku: 'A' }, work);
    expect(first).toEqual({ status: 201, body: { orderId: 'o1' }, replayed: false });
    expect(again).toEqual({ status: 201, body: { orderId: 'o1' }, replayed: true });
    expect(runs).toBe(1);
  });

  it('refuses the same key with a different request', async () => {
    await store.run('mp.order', 'key-bbbbbbbb', { qty: 1 }, async () => ({ status: 200, body: {} }));
    await expect(
      store.run('mp.order', 'key-bbbbbbbb', { qty: 2 }, async () => ({ status: 200, body: {} })),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 422,
    });
  });

  it('answers 409 while the first attempt runs, and lets a retry take over once it is presumed dead', async () => {
    let release: () => void = () => {};
    const slow = store.run(
      'mp.order',
      'key-cccccccc',
      {},
      () => new Promise((r) => (release = () => r({ status: 200, body: 'first' }))),
    );
    await new Promise((r) => setTimeout(r, 20));
    await expect(
      store.run('mp.order', 'key-cccccccc', {}, async () => ({ status: 200, body: 'second' })),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
    });
    release();
    await slow;

    // A first attempt that never finished (its process died): after the lease a retry runs the work.
    await t.db
      .insertInto('idempotency_record')
      .values({
        scope: 'mp.order',
        idem_key: 'key-dddddddd',
        request_hash: requestHash({}),
        state: 'pending',
        response_status: null,
        response_body: null,
        locked_until: clock.now() + 30_000,
        created_at: clock.now(),
        expires_at: clock.now() + 1e9,
      })
      .execute();
    clock.advance(30_001);
    const retried = await store.run('mp.order', 'key-dddddddd', {}, async () => ({ status: 200, body: 'recovered' }));
    expect(retried.body).toBe('recovered');
  });

  it('keeps nothing for a refusal, and forgets a crash so the retry can run', async () => {
    const refuse = async (): Promise<never> => {
      throw new AppError('VALIDATION_FAILED', 400, 'no lines');
    };
    await expect(store.run('mp.order', 'key-eeeeeeee', {}, refuse)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const kept = await t.db
      .selectFrom('idempotency_record')
      .selectAll()
      .where('idem_key', '=', 'key-eeeeeeee')
      .execute();
    expect(kept).toEqual([]);
    expect((await store.run('mp.order', 'key-eeeeeeee', {}, async () => ({ status: 200, body: 'x' }))).body).toBe('x');

    await expect(
      store.run('mp.order', 'key-ffffffff', {}, async () => {
        throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
    expect((await store.run('mp.order', 'key-ffffffff', {}, async () => ({ status: 200, body: 'ok' }))).body).toBe(
      'ok',
    );
  });

  it('refuses keys that are too short or not printable', async () => {
    await expect(store.run('s', 'short', {}, async () => ({ status: 200, body: 1 }))).rejects.toMatchObject({
      status: 400,
    });
  });
});
