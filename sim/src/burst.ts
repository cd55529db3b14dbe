import { parseArgs } from 'node:util';
import { z } from 'zod';
import { makeElemeOrder, oOrderJson, rememberElemeOrder } from './eleme/orders';
import { ElemePusher } from './eleme/push';
import {
  DEFAULT_LINES,
  makeMeituanOrder,
  openCaterOrderJson,
  rememberMeituanOrder,
  waimaiopenOrderFields,
} from './meituan/orders';
import { MeituanPusher } from './meituan/push';
import type { SimState } from './state';

export interface BurstStore {
  /** Meituan ePoiId (our store code). */
  ePoiId: string;
  /** Ele.me shopId. */
  shopId: string;
}

export interface BurstOptions {
  /** The BFF that receives the pushes. */
  bffUrl: string;
  /** Its PUBLIC_BASE_URL, which legacy Meituan pushes are signed over; `bffUrl` by default. */
  callbackBase?: string;
  count: number;
  stores?: BurstStore[];
  /** Pushes in flight at once. */
  concurrency?: number;
  /** Each acknowledged push is sent this many more times (platforms redeliver). */
  duplicates?: number;
  /** Pause before retrying a push that got no good answer (the BFF is down or refused). */
  retryDelayMs?: number;
  /** Give up on a push after this long. */
  deadlineMs?: number;
  /** A simulator whose order APIs should know the pushed orders. */
  state?: SimState;
  /** Awaited before push `index` is first sent: lets a test hold later pushes back until it has acted. */
  beforeSend?: (index: number) => Promise<void>;
}

export interface BurstOrder {
  platform: 'meituan' | 'eleme';
  gateway: 'open-cater' | 'waimaiopen' | 'nop';
  /** The platform order id (digits above 2^53). */
  orderId: string;
  acked: boolean;
  attempts: number;
}

const DEMO_STORES: BurstStore[] = [
  { ePoiId: 'SH001', shopId: '100001' },
  { ePoiId: 'SH002', shopId: '100002' },
  { ePoiId: 'HZ001', shopId: '100003' },
  { ePoiId: 'HZ002', shopId: '100004' },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lunch-rush burst of new-order pushes across Meituan (both gateways) and Ele.me, sent as the
 * platforms do: each push is redelivered, byte for byte, until the BFF acknowledges it (a BFF
 * that is down or restarting just means more attempts), and acknowledged pushes are sent again
 * (`duplicates`). Progress is readable while it runs (`acked`, `orders`).
 */
export class Burst {
  readonly orders: BurstOrder[] = [];
  acked = 0;
  attempts = 0;
  private readonly requests: (() => Promise<boolean>)[] = [];

  constructor(private readonly options: BurstOptions) {
    const meituan = new MeituanPusher({
      postBase: options.bffUrl,
      callbackBase: options.callbackBase ?? options.bffUrl,
    });
    const eleme = new ElemePusher({ postBase: options.bffUrl });
    const stores = options.stores ?? DEMO_STORES;
    for (let i = 0; i < options.count; i++) {
      const store = stores[i % stores.length] as BurstStore;
      const kind = i % 3;
      if (kind === 2) {
        const o = makeElemeOrder({ shopId: store.shopId, openId: store.ePoiId, daySn: i + 1 });
        if (options.state) rememberElemeOrder(options.state, o);
        const push = eleme.build(10, o.shopId, oOrderJson(o));
        this.orders.push({ platform: 'eleme', gateway: 'nop', orderId: o.id, acked: false, attempts: 0 });
        this.requests.push(async () => {
          const reply = await eleme.send(10, push).catch(() => ({ status: 0, body: null }));
          return reply.status === 200 && (reply.body as { message?: string } | null)?.message === 'ok';
        });
      } else {
        const gateway = kind === 0 ? 'open-cater' : 'waimaiopen';
        const o = makeMeituanOrder({ ePoiId: store.ePoiId, daySeq: i + 1, lines: DEFAULT_LINES });
        if (options.state) rememberMeituanOrder(options.state, o);
        const request = meituan.build(
          'new-order',
          o.ePoiId,
          { json: openCaterOrderJson(o), flat: waimaiopenOrderFields(o) },
          { gateway },
        );
        this.orders.push({ platform: 'meituan', gateway, orderId: o.orderId, acked: false, attempts: 0 });
        this.requests.push(async () => {
          const reply = await meituan.send(request).catch(() => ({ status: 0, body: null }));
          const body = reply.body as { data?: string } | null;
          return reply.status === 200 && (body?.data === 'OK' || body?.data === 'ok');
        });
      }
    }
  }

  async run(): Promise<{ acked: number; attempts: number; failed: BurstOrder[] }> {
    const { concurrency = 8, duplicates = 1, retryDelayMs = 200, deadlineMs = 60_000 } = this.options;
    const deadline = Date.now() + deadlineMs;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < this.requests.length; i = next++) {
        const send = this.requests[i] as () => Promise<boolean>;
        const order = this.orders[i] as BurstOrder;
        await this.options.beforeSend?.(i);
        while (!order.acked && Date.now() < deadline) {
          order.attempts++;
          this.attempts++;
          if (await send()) {
            order.acked = true;
            this.acked++;
          } else {
            await sleep(retryDelayMs);
          }
        }
        for (let d = 0; d < duplicates && order.acked; d++) {
          this.attempts++;
          await send();
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { acked: this.acked, attempts: this.attempts, failed: this.orders.filter((o) => !o.acked) };
  }
}

/**
 * `sim burst --bff <url> [--count 200] [--concurrency 16] [--duplicates 1] [--callback-base <url>]`:
 * pushes a burst of new orders to a running BFF and reports how many it acknowledged.
 */
export async function burstCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      bff: { type: 'string', default: 'http://127.0.0.1:3000' },
      'callback-base': { type: 'string' },
      count: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '16' },
      duplicates: { type: 'string', default: '1' },
      sim: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'usage: sim burst --bff <url> [--count 200] [--concurrency 16] [--duplicates 1] [--callback-base <url>] [--sim <url>]',
    );
    console.log(
      '  --sim <url>: have the running simulator send the burst, so it knows the orders when staff accept them',
    );
    return;
  }
  const request = BurstRequest.parse({
    bffUrl: values.bff,
    callbackBase: values['callback-base'],
    count: Number(values.count),
    concurrency: Number(values.concurrency),
    duplicates: Number(values.duplicates),
  });
  const started = Date.now();
  const report = values.sim ? await burstThroughSimulator(values.sim, request) : await runBurst(request);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${report.acked}/${report.count} orders acknowledged in ${seconds.toFixed(1)} s (${report.attempts} pushes sent)`,
  );
  console.log(
    `  ${Object.entries(report.byGateway)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}`,
  );
  if (report.failed.length > 0) {
    console.log(`  not acknowledged: ${report.failed.join(' ')}`);
    process.exitCode = 1;
  }
}

/** A burst as the control API (`POST /_sim/burst`) and the CLI take it. */
export const BurstRequest = z
  .object({
    bffUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    callbackBase: z
      .url()
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    count: z.number().int().min(1).max(100_000),
    concurrency: z.number().int().min(1).max(256).default(16),
    duplicates: z.number().int().min(0).max(20).default(1),
  })
  .strict();
export type BurstRequest = z.infer<typeof BurstRequest>;

export interface BurstReport {
  count: number;
  acked: number;
  attempts: number;
  done: boolean;
  byGateway: Record<string, number>;
  /** `platform:orderId` of each push never acknowledged. */
  failed: string[];
}

export function burstReport(burst: Burst, count: number, done: boolean): BurstReport {
  const byGateway: Record<string, number> = {};
  for (const o of burst.orders) byGateway[o.gateway] = (byGateway[o.gateway] ?? 0) + 1;
  return {
    count,
    acked: burst.acked,
    attempts: burst.attempts,
    done,
    byGateway,
    failed: done ? burst.orders.filter((o) => !o.acked).map((o) => `${o.platform}:${o.orderId}`) : [],
  };
}

async function runBurst(request: BurstRequest, state?: SimState): Promise<BurstReport> {
  const burst = new Burst({ ...request, state });
  await burst.run();
  return burstReport(burst, request.count, true);
}

/** Asks a running simulator to send the burst itself, then follows it to the end. */
async function burstThroughSimulator(simUrl: string, request: BurstRequest): Promise<BurstReport> {
  const base = simUrl.replace(/\/+$/, '');
  const started = await fetch(`${base}/_sim/burst`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (started.status !== 202) throw new Error(`simulator refused the burst: ${started.status} ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  for (;;) {
    await sleep(500);
    const res = await fetch(`${base}/_sim/burst?id=${encodeURIComponent(id)}`);
    const report = (await res.json()) as BurstReport;
    if (!res.ok) throw new Error(`simulator lost the burst: ${res.status}`);
    if (report.done) return report;
  }
}
