import { demoIds } from 'db';
import { describe, expect, it } from 'vitest';
import { Burst } from '../../../sim/src/burst';
import { freePort } from '../testing/private-services';
import { bookProblems, type CountedStock, openWork, orderProblems } from './books.fixture';
import { watchResponses } from './responses.fixture';
import { faultSystemPerFile, sleep, tryRequest, waitFor } from './system.fixture';
import { acknowledgedPushes, kitchenAccepting, memberCheckouts, setCountedStock, staffToken } from './workload.fixture';

const SH001 = demoIds.store('SH001');
const PUSHES = 45;
const MEMBERS = 8;
const COUNTED: CountedStock[] = [
  { storeId: SH001, skuCode: 'N001-L', quantity: 300 },
  { storeId: SH001, skuCode: 'R001-R', quantity: 300 },
];

describe('MariaDB killed and restarted under a running BFF', () => {
  const fault = faultSystemPerFile();

  it('answers 503 with Retry-After while it is down, writes nothing by halves, and recovers without a restart', async () => {
    const system = fault();
    const bff = await system.startBff({ port: await freePort() });
    const url = bff.url;
    const staff = await staffToken(url, 'sm-sh001');
    await setCountedStock(url, staff, COUNTED);

    const watch = watchResponses(new URL(url).origin);
    try {
      const burst = new Burst({
        bffUrl: url,
        count: PUSHES,
        concurrency: 3,
        duplicates: 1,
        retryDelayMs: 200,
        deadlineMs: 150_000,
        state: system.sim.state,
      });
      const pushing = burst.run();
      const unexpected: string[] = [];
      const checkouts = memberCheckouts(system, url, SH001, MEMBERS, unexpected, 500);
      const kitchen = kitchenAccepting(url, SH001, staff);

      await waitFor('the burst to progress', async () => burst.acked >= PUSHES / 4, 120_000, 20);
      await system.mariadb.kill();
      const whileDown = watch.seen.length;
      // Down for a while: what a member, a clerk and an operator see meanwhile.
      await sleep(2000);
      const down = {
        ready: await tryRequest(url, 'GET', '/readyz'),
        menu: await tryRequest(url, 'GET', `/api/mp/stores/${SH001}/menu`),
        login: await tryRequest(url, 'POST', '/api/admin/login', {
          body: { username: 'clerk-sh001', password: 'heyi-demo' },
        }),
        queue: await tryRequest(url, 'GET', `/api/staff/stores/${SH001}/queue`, { token: staff }),
      };
      await sleep(4000);
      const outage = watch.seen.slice(whileDown);
      await system.mariadb.start();

      await waitFor(
        '/readyz to answer 200 again',
        async () => (await tryRequest(url, 'GET', '/readyz')).status === 200,
      );
      const burstResult = await pushing;
      const orderIds = await checkouts;
      await kitchen.stop();
      await waitFor(
        'every push applied and every outbox message delivered',
        () => openWork(system.database.db),
        60_000,
      );

      // While it was down: clean 503s with Retry-After, the webhooks' included; never a 500.
      expect.soft(bff.child.exitCode, 'the process lives').toBeNull();
      for (const [what, res] of Object.entries(down)) {
        expect.soft([what, res.status, res.headers.get('retry-after') !== null]).toEqual([what, 503, true]);
      }
      expect.soft(down.menu.body?.error?.code).toBe('SERVICE_UNAVAILABLE');
      const refused = outage.filter((r) => r.status === 503);
      expect
        .soft(
          refused.some((r) => r.path.startsWith('/webhooks/')),
          'pushes refused with 503',
        )
        .toBe(true);
      expect.soft(refused.every((r) => r.retryAfter !== null)).toBe(true);
      const failures = watch.seen.filter((r) => r.status >= 500 && r.status !== 503);
      expect.soft(failures).toEqual([]);
      expect.soft(unexpected).toEqual([]);
      expect.soft(bff.output()).not.toMatch(/unhandled|uncaught/i);

      // Recovered, and nothing half-written.
      const db = system.database.db;
      expect.soft(burstResult.failed).toEqual([]);
      expect.soft(await orderProblems(db, acknowledgedPushes(burst), orderIds)).toEqual([]);
      const pendingKeys = await db
        .selectFrom('idempotency_record')
        .select(['idem_key', 'state'])
        .where('state', '!=', 'done')
        .execute();
      expect.soft(pendingKeys).toEqual([]);
      expect.soft(await bookProblems(db, COUNTED)).toEqual([]);
    } finally {
      watch.stop();
    }
  }, 240_000);
});
