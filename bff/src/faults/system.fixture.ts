import type { ChildProcess } from 'node:child_process';
import { demoIds, demoStores, seedDemo } from 'db';
import { createMysqlTestDatabase, type TestDatabase } from 'db/testing';
import { afterAll, beforeAll } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../sim/src/server';
import { wechatLogin } from '../../../sim/src/wechat/code2session';
import { payAndNotify } from '../../../sim/src/wechatpay/cashier';
import type { RequestPaymentParams } from '../channels/wechat/wechatpay/crypto';
import { SecretBox } from '../lib/secret-box';
import { MEITUAN_TEST_TOKEN, putStoreOnPlatforms } from '../modules/stock/testing';
import { type BffProcess, sendRequest, startBffProcess, type TestResponse } from '../testing';
import { freePort, type PrivateServer, startPrivateMariadb, startPrivateRedis } from '../testing/private-services';

const DATA_KEY = 'fa'.repeat(32);

/** The demo stores the faults run against, bound to both platforms with every SKU mapped. */
export const STORES = demoStores
  .filter((s) => ['SH001', 'SH002', 'HZ001', 'HZ002'].includes(s.code))
  .map((s) => ({ code: s.code, id: demoIds.store(s.code), shopId: s.elemeShopId }));

/**
 * Timings compressed so that minutes of a real outage pass in seconds: the outbox polls often,
 * a dead process's outbox claims and Idempotency-Keys are retaken after 3 s, retries back off
 * from 100 ms up to 1 s, and a platform call that takes over 1 s counts as a timeout.
 */
export const FAST_TIMINGS = {
  OUTBOX_POLL_MS: '100',
  OUTBOX_LEASE_MS: '3000',
  OUTBOX_BACKOFF_BASE_MS: '100',
  OUTBOX_BACKOFF_MAX_MS: '1000',
  PLATFORM_TIMEOUT_MS: '1000',
  IDEMPOTENCY_LEASE_MS: '3000',
};

export interface FaultSystem {
  mariadb: PrivateServer;
  redis: PrivateServer | null;
  /** The test's own connection to the BFF's database (for setting up and checking). */
  database: TestDatabase;
  sim: RunningSimulator;
  /**
   * Starts a BFF process with its workers, on `port` when given (a restart keeps its address, so
   * platforms and WeChat Pay find it again), else on a free one.
   */
  startBff(options?: { port?: number; env?: Record<string, string> }): Promise<BffProcess>;
  close(): Promise<void>;
}

/**
 * The whole system on private servers: a MariaDB and (optionally) a Redis of the test's own, the
 * platform simulators in the test process, and a seeded database whose demo stores are open all
 * day and bound to both platforms. BFF processes are started by the test.
 */
export async function startFaultSystem(options: { redis?: boolean } = {}): Promise<FaultSystem> {
  const [mariadb, redis] = await Promise.all([
    startPrivateMariadb(),
    options.redis === false ? Promise.resolve(null) : startPrivateRedis(),
  ]);
  const database = await createMysqlTestDatabase(mariadb.url);
  await seedDemo(database.db, {});
  const db = database.db;
  // Open all day, every category all day: the suite runs at any hour.
  await db
    .updateTable('store')
    .set({ business_hours: JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }]) })
    .execute();
  await db.updateTable('product').set({ availability: null }).execute();
  const sim = await startSimulator();
  const secrets = new SecretBox(Buffer.from(DATA_KEY, 'hex'));
  for (const s of STORES) {
    await putStoreOnPlatforms(db, secrets, s.id, s.code, s.shopId);
    sim.state.meituan.bind(s.code, `${MEITUAN_TEST_TOKEN.slice(0, -5)}${s.code}`);
  }

  const processes: ChildProcess[] = [];
  return {
    mariadb,
    redis,
    database,
    sim,
    async startBff({ port, env } = {}) {
      const p = port ?? (await freePort());
      const bff = await startBffProcess(
        {
          PORT: String(p),
          PUBLIC_BASE_URL: `http://127.0.0.1:${p}`,
          DATABASE_URL: database.url,
          MIGRATE_ON_START: 'false',
          SIM_BASE_URL: sim.url,
          DATA_ENCRYPTION_KEY: DATA_KEY,
          JWT_SECRET: 'fault-suite-secret-fault-suite-secret',
          ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'heyi_faults:' } : {}),
          ...FAST_TIMINGS,
          ...env,
        },
        90_000,
      ); // generous: on a busy machine tsx alone may take half a minute
      processes.push(bff.child);
      return bff;
    },
    async close() {
      for (const child of processes) await killProcess(child);
      await sim.close();
      await database.close().catch(() => undefined);
      await Promise.all([mariadb.destroy(), redis?.destroy()]);
    },
  };
}

/** One fault system per test file: started before its tests, torn down after them. */
export function faultSystemPerFile(options: { redis?: boolean } = {}): () => FaultSystem {
  let system: FaultSystem | undefined;
  beforeAll(async () => {
    system = await startFaultSystem(options);
  });
  afterAll(async () => {
    await system?.close();
  });
  return () => {
    if (!system) throw new Error('the fault system did not start');
    return system;
  };
}

/** `kill -9`. */
export function killProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it answers true; throws with `what` (and the last detail) after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean | string>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: boolean | string = false;
  for (;;) {
    try {
      last = await check();
      if (last === true) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`${what} (still: ${String(last)})`);
    await sleep(everyMs);
  }
}

/** A member of the mini-program, signed in with a WeChat code from the simulator. */
export interface Member {
  openid: string;
  token: string;
}

export async function signInMember(sim: RunningSimulator, bffUrl: string, openid: string): Promise<Member> {
  const code = wechatLogin(sim.state).issueCode({ openid });
  const res = await sendRequest(bffUrl, 'POST', '/api/mp/auth/login', { body: { code } });
  if (res.status !== 200) throw new Error(`member sign-in failed: ${res.status} ${res.text}`);
  return { openid, token: res.body.token };
}

/** One pickup bowl of beef noodles (大碗, 微辣) at a store: what the member checkouts order. */
export const noodleOrder = (storeId: string) => ({
  storeId,
  fulfillment: 'pickup',
  lines: [{ skuCode: 'N001-L', quantity: 1, addons: ['SPICY-1'] }],
});

/** Sends a request, answering status 0 when the process is not there to answer. */
export async function tryRequest(
  url: string,
  method: string,
  path: string,
  options: Parameters<typeof sendRequest>[3] = {},
): Promise<TestResponse> {
  try {
    return await sendRequest(url, method, path, options);
  } catch {
    return { status: 0, headers: new Headers(), body: null, text: '' };
  }
}

/**
 * The member pays, and WeChat Pay notifies until the merchant answers 2xx (as WeChat Pay redelivers
 * for about a day). Answers the statuses of the notifications, the last one a success.
 */
export async function payUntilAcknowledged(
  sim: RunningSimulator,
  bffUrl: string,
  payment: RequestPaymentParams,
  deadlineMs = 60_000,
): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const [status] = await payAndNotify(sim.state, payment, { deliverTo: bffUrl }).catch(() => [0]);
    statuses.push(status ?? 0);
    if (status !== undefined && status >= 200 && status < 300) return statuses;
    if (Date.now() > deadline) throw new Error(`payment notification never acknowledged: ${statuses.join(',')}`);
    await sleep(200);
  }
}
