/**
 * The channel-mix report at chain scale, on MariaDB: a year of orders for 200 stores × 4 channels
 * (about 10 million by default), generated straight into `orders` with LOAD DATA LOCAL INFILE and,
 * from the same generated orders through the reports module's own `factOf`, the
 * `report_channel_day` rollup it reads. Then the channel-mix report for one region (20 stores) and
 * one month, over HTTP as that region's manager, next to a single primary-key read of one order
 * on the same database in the same run. Printed: medians and their ratio.
 *
 * Not generated (the measured report does not read them): order lines, events, per-order facts
 * and the SKU and cancel-reason rollups.
 *
 * `pnpm bench report-channel-mix [--orders N]`. Settings: HEYI_BENCH_MYSQL_URL (default
 * mysql://root@127.0.0.1:3306), BENCH_REPORT_ORDERS (default 10000000), BENCH_REPORT_KEEP=1 keeps
 * the database (its name is printed) and BENCH_REPORT_DB=<name> measures an existing one again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createApp } from 'bff/app';
import { loadConfig } from 'bff/config';
import { buildContainer } from 'bff/container';
import { CHANNEL_MEASURES, type ChannelMeasures, emptyMeasures, factOf } from 'bff/modules/reports/facts';
import { periodColumns } from 'bff/modules/reports/periods';
import { connectDatabase, type DatabaseHandle, migrateToLatest, newId, provision } from 'db';
import { createConnection } from 'mysql2/promise';
import type { Channel } from 'shared-types';

const MYSQL = (process.env.HEYI_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const argOrders = process.argv.indexOf('--orders');
const ORDERS = Number(argOrders > 0 ? process.argv[argOrders + 1] : (process.env.BENCH_REPORT_ORDERS ?? 10_000_000));
const STORES = 200;
const REGIONS = 10;
const DAYS = 365;
const FIRST_DAY = '2025-12-01';
const CHANNELS: Channel[] = ['meituan', 'eleme', 'miniapp', 'dinein'];
/** Share of orders per channel. */
const CHANNEL_WEIGHT = [0.4, 0.3, 0.2, 0.1];
const PASSWORD = 'bench-report-password';

/** A small deterministic PRNG (mulberry32), so every run generates the same chain. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayAt = (i: number) => new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
const storeCode = (i: number) => `S${String(i + 1).padStart(3, '0')}`;
const regionCode = (i: number) => `r${String(i + 1).padStart(2, '0')}`;

function provisionFile() {
  return {
    brand: { code: 'benchbrand', name: '压测品牌' },
    regions: Array.from({ length: REGIONS }, (_, i) => ({ code: regionCode(i), name: `区域${i + 1}` })),
    stores: Array.from({ length: STORES }, (_, i) => ({
      code: storeCode(i),
      region: regionCode(i % REGIONS),
      name: `门店${i + 1}`,
      address: `测试路 ${i + 1} 号`,
      timezone: 'Asia/Shanghai',
      businessHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '22:00' }],
    })),
    staff: [
      { username: 'bench-hq', displayName: '总部', role: 'hq_admin', password: PASSWORD },
      { username: 'bench-rm', displayName: '区域经理', role: 'region_manager', regions: ['r01'], password: PASSWORD },
    ],
  };
}

const ORDER_COLUMNS = [
  'id',
  'brand_id',
  'store_id',
  'channel',
  'channel_order_id',
  'business_date',
  'fulfillment',
  'delivery_mode',
  'status',
  'items_total',
  'packaging_fee',
  'delivery_fee',
  'discount_platform',
  'discount_merchant',
  'paid_total',
  'merchant_income',
  'remark',
  'flags',
  'cancel_reason',
  'stock_state',
  'placed_at',
  'promised_at',
  'accepted_at',
  'ready_at',
  'completed_at',
  'cancelled_at',
  'refund_amount',
  'version',
  'created_at',
  'updated_at',
];

/**
 * Generates the orders of days [first, last) as tab-separated lines for LOAD DATA, and adds each
 * order's contribution (the reports module's `factOf`, the same code the live rollups use) to
 * `sums` per store × day × channel.
 */
function* orderLines(
  first: number,
  last: number,
  perStoreDay: number,
  brandId: string,
  storeIds: string[],
  sums: Map<string, ChannelMeasures>,
  seq: { n: number },
): Generator<string> {
  const random = prng(first + 1);
  for (let day = first; day < last; day++) {
    const date = dayAt(day);
    const midnight = Date.parse(`${date}T00:00:00+08:00`);
    for (const [s, storeId] of storeIds.entries()) {
      const count = Math.max(1, Math.round(perStoreDay * (0.6 + 0.8 * random())));
      for (let k = 0; k < count; k++) {
        const r = random();
        const c = r < CHANNEL_WEIGHT[0]! ? 0 : r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
        const channel = CHANNELS[c] as Channel;
        const own = c >= 2;
        const placed = midnight + (10 * 60 + Math.floor(random() * 720)) * 60_000;
        const items = 1500 + Math.floor(random() * 60) * 100;
        const packaging = channel === 'dinein' ? 0 : 100 + Math.floor(random() * 3) * 100;
        const delivery = own ? 0 : 300 + Math.floor(random() * 4) * 100;
        const discountPlatform = own ? 0 : Math.floor(random() * 5) * 100;
        const discountMerchant = Math.floor(random() * 6) * 100;
        const paid = items + packaging + delivery - discountPlatform - discountMerchant;
        const income = own ? paid : Math.round(paid * 0.8);
        const roll = random();
        const status =
          roll < 0.03 ? 'cancelled' : roll < 0.04 ? 'refunded' : roll < 0.05 ? 'partially_refunded' : 'completed';
        const accepted = status === 'cancelled' ? null : placed + 60_000;
        const ready = accepted === null ? null : accepted + (8 + Math.floor(random() * 20)) * 60_000;
        const promised = placed + 30 * 60_000;
        const refund = status === 'partially_refunded' ? 500 : null;
        const cancelReason = status === 'cancelled' ? 'meituan:2008' : null;
        seq.n++;
        const order = {
          store_id: storeId,
          business_date: date,
          channel,
          status,
          items_total: items,
          packaging_fee: packaging,
          delivery_fee: delivery,
          discount_platform: discountPlatform,
          discount_merchant: discountMerchant,
          paid_total: paid,
          merchant_income: income,
          refund_amount: refund,
          cancel_reason: cancelReason,
          accepted_at: accepted,
          ready_at: ready,
          promised_at: promised,
        };
        const fact = factOf(order, [], () => 0, true);
        const key = `${s}\t${date}\t${channel}`;
        let sum = sums.get(key);
        if (!sum) {
          sum = emptyMeasures();
          sums.set(key, sum);
        }
        for (const m of CHANNEL_MEASURES) sum[m] += fact.measures[m];
        const values = [
          newId(placed),
          brandId,
          storeId,
          channel,
          `${channel}-${seq.n}`,
          date,
          channel === 'dinein' ? 'dine_in' : own ? 'pickup' : 'delivery',
          own ? '\\N' : 'platform',
          status,
          items,
          packaging,
          delivery,
          discountPlatform,
          discountMerchant,
          paid,
          income,
          '',
          '{}',
          cancelReason ?? '\\N',
          'committed',
          placed,
          promised,
          accepted ?? '\\N',
          ready ?? '\\N',
          status === 'cancelled' ? '\\N' : (ready ?? placed) + 30 * 60_000,
          status === 'cancelled' ? placed + 5 * 60_000 : '\\N',
          refund ?? '\\N',
          1,
          placed,
          placed,
        ];
        yield `${values.join('\t')}\n`;
      }
    }
  }
}

async function generate(database: DatabaseHandle & { url: string }): Promise<{ orders: number; seconds: number }> {
  const { db } = database;
  await provision(db, provisionFile());
  const brandId = (await db.selectFrom('brand').select('id').where('code', '=', 'benchbrand').executeTakeFirstOrThrow())
    .id;
  const stores = await db.selectFrom('store').select(['id', 'code']).orderBy('code').execute();
  const storeIds = stores.map((s) => s.id);
  const perStoreDay = ORDERS / STORES / DAYS;
  const conn = await createConnection({ uri: database.url, infileStreamFactory: () => Readable.from([]) });
  const started = performance.now();
  const seq = { n: 0 };
  try {
    // A month per LOAD DATA: one statement, one transaction, streamed as generated.
    for (let first = 0; first < DAYS; first += 30) {
      const last = Math.min(DAYS, first + 30);
      const sums = new Map<string, ChannelMeasures>();
      const lines = orderLines(first, last, perStoreDay, brandId, storeIds, sums, seq);
      await conn.query({
        sql: `LOAD DATA LOCAL INFILE 'orders.tsv' INTO TABLE orders CHARACTER SET utf8mb4 (${ORDER_COLUMNS.join(', ')})`,
        infileStreamFactory: () => Readable.from(chunks(lines)),
      });
      const rows = [...sums.entries()].map(([key, sum]) => {
        const [s, date, channel] = key.split('\t') as [string, string, Channel];
        return {
          store_id: storeIds[Number(s)] as string,
          business_date: date,
          channel,
          ...periodColumns(date),
          ...sum,
        };
      });
      for (let i = 0; i < rows.length; i += 2000) {
        await db
          .insertInto('report_channel_day')
          .values(rows.slice(i, i + 2000))
          .execute();
      }
      const elapsed = (performance.now() - started) / 1000;
      console.log(`  generated ${seq.n.toLocaleString('en')} orders (${dayAt(last - 1)}), ${elapsed.toFixed(0)} s`);
    }
  } finally {
    await conn.end();
  }
  return { orders: seq.n, seconds: (performance.now() - started) / 1000 };
}

/** Joins lines into buffers of about 256 KiB: what the driver streams to the server. */
function* chunks(lines: Iterable<string>): Generator<Buffer> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= 256 * 1024) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timeEach(n: number, job: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await job();
    out.push(performance.now() - t);
  }
  return out;
}

export async function run(): Promise<void> {
  const reuse = process.env.BENCH_REPORT_DB;
  const name = reuse ?? `heyi_bench_reports_${Date.now().toString(36)}`;
  if (!reuse) {
    const admin = await createConnection({ uri: MYSQL });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await admin.end();
  }
  const url = `${MYSQL}/${name}`;
  const database = { ...(await connectDatabase(url, { poolSize: 4 })), url };
  const keep = Boolean(reuse) || process.env.BENCH_REPORT_KEEP === '1';
  try {
    if (!reuse) {
      await migrateToLatest(database.db);
      const made = await generate(database);
      console.log(
        `generated ${made.orders.toLocaleString('en')} orders of ${STORES} stores × ${CHANNELS.length} channels × ${DAYS} days in ${made.seconds.toFixed(0)} s`,
      );
    }
    // Production settings: responses are not checked against their schemas there.
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      WORKERS_ENABLED: 'false',
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'report-bench-secret-report-bench-secret',
      DATA_ENCRYPTION_KEY: 'dd'.repeat(32),
      MIGRATE_ON_START: 'false',
      PORT: '0',
    });
    const container = await buildContainer(config, { database });
    const server = http.createServer(createApp(container).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const login = await fetch(`${base}/api/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench-rm', password: PASSWORD }),
      });
      const { token } = (await login.json()) as { token: string };
      const month = dayAt(DAYS - 40).slice(0, 7);
      const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0))
        .toISOString()
        .slice(0, 10);
      const reportUrl = `${base}/api/admin/reports/channel-mix?from=${month}-01&to=${last}&groupBy=day`;
      let rows = 0;
      let orders = 0;
      const report = async () => {
        const res = await fetch(reportUrl, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`report: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { rows: unknown[]; totals: { all: { orders: number } } };
        rows = body.rows.length;
        orders = body.totals.all.orders;
      };
      const ids = (await database.db.selectFrom('orders').select('id').limit(1000).execute()).map((r) => r.id);
      let k = 0;
      const pk = async () => {
        const id = ids[k++ % ids.length] as string;
        await database.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      };
      await timeEach(5, report);
      await timeEach(50, pk);
      const reportMs = median(await timeEach(30, report));
      const pkMs = median(await timeEach(300, pk));
      const total = Number(
        (
          await database.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      console.log(`orders in the database: ${total.toLocaleString('en')}`);
      console.log(
        `channel-mix, region r01 (20 stores), ${month}, by day, over HTTP as its region manager: ${rows} rows, ${orders.toLocaleString('en')} orders, median ${reportMs.toFixed(1)} ms`,
      );
      console.log(`one primary-key read of an order (Kysely, same database): median ${pkMs.toFixed(2)} ms`);
      console.log(`ratio report / primary-key read: ${(reportMs / pkMs).toFixed(1)}`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await container.close();
    }
  } finally {
    if (keep) {
      console.log(`kept database ${name} (BENCH_REPORT_DB=${name} measures it again)`);
      await database.close().catch(() => undefined);
    } else {
      await database.close().catch(() => undefined);
      const admin = await createConnection({ uri: MYSQL });
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
  }
}
