import type { Burst } from '../../../sim/src/burst';
import type { TestResponse } from '../testing';
import type { EventStream } from '../testing/private-services';
import type { CountedStock } from './books.fixture';
import { type FaultSystem, noodleOrder, payUntilAcknowledged, signInMember, sleep, tryRequest } from './system.fixture';

/**
 * Answers a client repeats, as the mini-program and the platforms do: the process is gone (0),
 * a dependency is down (503 with Retry-After), or the first try of this Idempotency-Key is still
 * held (409, after a crash until its lease ends).
 */
export const retryable = (res: TestResponse) =>
  res.status === 0 || res.status === 503 || (res.status === 409 && res.body?.error?.code === 'IDEMPOTENCY_IN_PROGRESS');

/**
 * Members check out at a store while faults happen: each signs in, places one order with its own
 * Idempotency-Key (retried with the same key until answered), and pays; WeChat Pay notifies until
 * acknowledged. Member `i` starts `i × staggerMs` after the call. Answers each checkout's order id,
 * or null with the reason in `unexpected` (an answer no client would retry).
 */
export function memberCheckouts(
  system: FaultSystem,
  url: string,
  storeId: string,
  count: number,
  unexpected: string[],
  staggerMs = 400,
): Promise<(string | null)[]> {
  const checkout = async (i: number): Promise<string | null> => {
    await sleep(i * staggerMs);
    let token: string | undefined;
    while (!token) {
      token = await signInMember(system.sim, url, `o-fault-${i}`)
        .then((m) => m.token)
        .catch(() => sleep(200).then(() => undefined));
    }
    for (;;) {
      const res = await tryRequest(url, 'POST', '/api/mp/orders', {
        token,
        body: noodleOrder(storeId),
        headers: { 'idempotency-key': `fault-checkout-${i}-key` },
      });
      if (res.status === 201 || res.status === 200) {
        await payUntilAcknowledged(system.sim, url, res.body.payment, 120_000);
        return res.body.order.id as string;
      }
      if (!retryable(res)) {
        unexpected.push(`checkout ${i}: ${res.status} ${res.text}`);
        return null;
      }
      await sleep(300);
    }
  };
  return Promise.all(Array.from({ length: count }, (_, i) => checkout(i)));
}

/** A clerk's screen accepting a store's new orders as they come in, until `stop()`. */
export function kitchenAccepting(url: string, storeId: string, token: string): { stop(): Promise<void> } {
  let open = true;
  const running = (async () => {
    while (open) {
      const queue = await tryRequest(url, 'GET', `/api/staff/stores/${storeId}/queue`, { token });
      for (const o of (queue.body?.orders ?? []) as { id: string; status: string }[]) {
        if (o.status === 'placed') await tryRequest(url, 'POST', `/api/staff/orders/${o.id}/accept`, { token });
      }
      await sleep(250);
    }
  })();
  return {
    stop: async () => {
      open = false;
      await running;
    },
  };
}

/** Sets counted stock as a store manager would; throws unless each change is accepted. */
export async function setCountedStock(url: string, token: string, counted: CountedStock[]): Promise<void> {
  for (const c of counted) {
    const res = await tryRequest(url, 'PUT', `/api/staff/stores/${c.storeId}/stock/${c.skuCode}`, {
      token,
      body: { quantity: c.quantity },
    });
    if (res.status !== 200) throw new Error(`setting ${c.skuCode} failed: ${res.status} ${res.text}`);
  }
}

/** Signs a demo staff member in (password `heyi-demo`), retrying while the process is not there. */
export async function staffToken(url: string, username: string): Promise<string> {
  for (;;) {
    const res = await tryRequest(url, 'POST', '/api/admin/login', { body: { username, password: 'heyi-demo' } });
    if (res.status === 200) return res.body.token as string;
    if (!retryable(res)) throw new Error(`staff sign-in failed: ${res.status} ${res.text}`);
    await sleep(200);
  }
}

/** The ids of the orders a kitchen screen's live queue (Server-Sent Events) has shown so far. */
export function shownOrderIds(screen: EventStream): Set<string> {
  const ids = new Set<string>();
  for (const e of screen.events) {
    const data = JSON.parse(e.data) as { order?: { id: string }; orders?: { id: string }[] };
    if (data.order) ids.add(data.order.id);
    for (const o of data.orders ?? []) ids.add(o.id);
  }
  return ids;
}

/** `platform:orderId` of every push the BFF acknowledged, across bursts. */
export function acknowledgedPushes(...bursts: Burst[]): string[] {
  return bursts.flatMap((b) => b.orders.filter((o) => o.acked).map((o) => `${o.platform}:${o.orderId}`));
}
