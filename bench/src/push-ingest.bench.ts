/**
 * Platform push ingestion on MariaDB: Meituan new-order pushes posted over HTTP to an in-process
 * BFF (verify the SHA-1 signature, parse with exact ids, record in the inbox with its outbox
 * message, answer) while the outbox worker applies them (normalize, order + lines + event,
 * stock reservation, live event), spread over the four demo stores as a lunch rush is. Reported:
 * orders/s until every push is applied, and the p99 of the platform's wait for its answer. Next to
 * it, measured in the same run on the same MariaDB: one bare transaction per order of the same
 * writes (inbox and outbox rows, the order, its two lines and event, the stock reservation of
 * both lines and the store's kitchen-slot counter).
 *
 * `pnpm bench push-ingest`. Settings: HEYI_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306),
 * BENCH_PUSHES (default 1000).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from 'bff/app';
import { loadConfig } from 'bff/config';
import { buildContainer } from 'bff/container';
import { demoIds, newId, seedDemo } from 'db';
import { createMysqlTestDatabase } from 'db/testing';
import { makeMeituanOrder, openCaterOrderJson, waimaiopenOrderFields } from 'sim/meituan/orders';
import { MeituanPusher } from 'sim/meituan/push';

const MYSQL = process.env.HEYI_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const N = Number(process.env.BENCH_PUSHES ?? 1000);
const CONCURRENCY = 32;
const STORES = ['SH001', 'SH002', 'HZ001', 'HZ002'];
const SLOT_MS = 15 * 60_000;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
const p99 = (samples: number[]) => percentile(samples, 0.99);

/** Runs `total` jobs with `concurrency` in flight; answers each job's duration (ms). */
async function timed(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        await job(i);
        durations.push(performance.now() - t);
      }
    }),
  );
  return durations;
}

export async function run(): Promise<void> {
  const database = await createMysqlTestDatabase(MYSQL);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DB_POOL_SIZE: '20',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'push-bench-secret-push-bench-secret!!',
    DATA_ENCRYPTION_KEY: 'ee'.repeat(32),
    MIGRATE_ON_START: 'false',
    PORT: '0',
  });
  const container = await buildContainer(config, { database });
  const server = http.createServer(createApp(container).callback());
  try {
    await seedDemo(database.db, {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pusher = new MeituanPusher({ postBase: url, callbackBase: config.publicBaseUrl });
    let built = 0;
    const build = () => {
      const store = STORES[built++ % STORES.length] as string;
      const o = makeMeituanOrder({ ePoiId: store });
      return pusher.build('new-order', store, { json: openCaterOrderJson(o), flat: waimaiopenOrderFields(o) });
    };
    await container.startWorkers();

    const countApplied = async () =>
      Number(
        (
          await database.db
            .selectFrom('push_inbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', 'applied')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const ingest = async (total: number) => {
      const requests = Array.from({ length: total }, build);
      const before = await countApplied();
      const started = performance.now();
      const acks = await timed(total, CONCURRENCY, async (i) => {
        const reply = await pusher.send(requests[i] as { url: string; body: string });
        if (reply.status !== 200) throw new Error(`push refused: ${reply.status} ${reply.text}`);
      });
      while ((await countApplied()) < before + total) await new Promise((resolve) => setTimeout(resolve, 20));
      return { perSecond: total / ((performance.now() - started) / 1000), p99: p99(acks), p50: percentile(acks, 0.5) };
    };
    await ingest(100); // warm: JIT, pools, caches
    const pushes = await ingest(N);
    // One push at a time (a quiet hour): how long the platform waits for its answer.
    const quiet = await timed(100, 1, async () => {
      const reply = await pusher.send(build());
      if (reply.status !== 200) throw new Error(`push refused: ${reply.status}`);
    });

    // Baseline: the same rows written in one bare transaction per order.
    const now = Date.now();
    const slotStart = Math.floor(now / SLOT_MS) * SLOT_MS;
    for (const code of STORES) {
      await database.db
        .insertInto('stock_slot')
        .values({
          store_id: demoIds.store(code),
          slot_start: slotStart + SLOT_MS,
          items: 0,
          orders: 0,
          version: 0,
          updated_at: now,
        })
        .execute();
    }
    let bareSeq = 0;
    const bare = async () => {
      const orderId = newId();
      const storeId = demoIds.store(STORES[bareSeq++ % STORES.length] as string);
      await database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('push_inbox')
          .values({
            id: newId(),
            platform: 'meituan',
            push_type: 'new-order',
            dedupe_key: `bench:${orderId}`,
            store_id: storeId,
            order_key: orderId,
            body: 'x'.repeat(3000),
            meta: '{}',
            status: 'applied',
            note: null,
            received_at: now,
            applied_at: now,
          })
          .execute();
        await trx
          .insertInto('outbox')
          .values({
            id: newId(),
            topic: 'bench',
            dedupe_key: `bench:${orderId}`,
            aggregate_id: orderId,
            payload: '{}',
            status: 'done',
            attempts: 0,
            next_attempt_at: now,
            locked_by: null,
            locked_until: null,
            last_error: null,
            created_at: now,
            updated_at: now,
            done_at: now,
          })
          .execute();
        await trx
          .insertInto('orders')
          .values({
            id: orderId,
            brand_id: demoIds.brand,
            store_id: storeId,
            channel: 'meituan',
            channel_order_id: `b${orderId}`,
            display_id: null,
            gateway: 'open-cater',
            business_date: '2026-03-10',
            day_seq: 1,
            fulfillment: 'delivery',
            delivery_mode: 'platform',
            status: 'placed',
            member_id: null,
            placement_key: null,
            items_total: 4840,
            packaging_fee: 100,
            delivery_fee: 500,
            discount_platform: 300,
            discount_merchant: 200,
            paid_total: 4940,
            merchant_income: 3800,
            remark: '',
            table_no: null,
            recipient_name: '王',
            recipient_phone: '18449039731_7333',
            recipient_address: '人民广场',
            recipient_lat: null,
            recipient_lng: null,
            logistics_code: '1001',
            flags: '{}',
            refund_state: null,
            refund_reason: null,
            cancel_reason: null,
            stock_state: 'reserved',
            placed_at: now,
            promised_at: null,
            pay_by: null,
            accepted_at: null,
            ready_at: null,
            completed_at: null,
            cancelled_at: null,
            version: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto('order_line')
          .values(
            ['N001-L', 'D003'].map((code, i) => ({
              id: newId(),
              order_id: orderId,
              line_no: i + 1,
              sku_code: code,
              platform_item_id: null,
              platform_sku_id: null,
              name: code,
              spec_text: '',
              addons: '[]',
              quantity: 1,
              unit_price: 3520,
              addons_price: 0,
              packaging_fee: 0,
              box_count: 0,
              line_total: 3520,
              unmapped: 0,
              stock_short: 0,
            })),
          )
          .execute();
        await trx
          .insertInto('stock_order')
          .values({
            order_id: orderId,
            brand_id: demoIds.brand,
            store_id: storeId,
            channel: 'meituan',
            mode: 'record',
            slot_start: slotStart + SLOT_MS,
            slot_items: 2,
            slot_orders: 1,
            overloaded: 0,
            status: 'active',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto('stock_reservation')
          .values(
            ['N001-L', 'D003'].map((code) => ({
              id: newId(),
              order_id: orderId,
              line_id: newId(),
              brand_id: demoIds.brand,
              store_id: storeId,
              channel: 'meituan',
              mode: 'record',
              sku_code: code,
              requested: 1,
              covered: 1,
              short_reason: null,
              sku_item_id: null,
              product_item_id: null,
              reserved_date: '2026-03-10',
              status: 'held',
              created_at: now,
              updated_at: now,
            })),
          )
          .execute();
        await trx
          .updateTable('stock_slot')
          .set((eb) => ({
            items: eb('items', '+', 2),
            orders: eb('orders', '+', 1),
            version: eb('version', '+', 1),
            updated_at: now,
          }))
          .where('store_id', '=', storeId)
          .where('slot_start', '=', slotStart + SLOT_MS)
          .execute();
        await trx
          .insertInto('order_event')
          .values({
            id: newId(),
            order_id: orderId,
            type: 'created',
            from_status: null,
            to_status: 'placed',
            source: 'platform',
            actor: null,
            reason: null,
            data: null,
            at: now,
          })
          .execute();
      });
    };
    await timed(100, CONCURRENCY, bare);
    const started = performance.now();
    const bareDurations = await timed(N, CONCURRENCY, bare);
    const bareRate = N / ((performance.now() - started) / 1000);

    console.log(`${N} Meituan new-order pushes over 4 stores, ${CONCURRENCY} in flight, one BFF process, MariaDB`);
    console.log(`  push → applied order (verify, record, apply)  ${pushes.perSecond.toFixed(0).padStart(6)} orders/s`);
    console.log(
      `  p50 / p99 wait for the platform's answer      ${pushes.p50.toFixed(1).padStart(6)} / ${pushes.p99.toFixed(1)} ms`,
    );
    console.log(
      `  p50 / p99 answer, one push at a time          ${percentile(quiet, 0.5).toFixed(1).padStart(6)} / ${p99(quiet).toFixed(1)} ms`,
    );
    console.log(`  bare transaction of the same writes           ${bareRate.toFixed(0).padStart(6)} orders/s`);
    console.log(
      `  p50 / p99 bare transaction                    ${percentile(bareDurations, 0.5).toFixed(1).padStart(6)} / ${p99(bareDurations).toFixed(1)} ms`,
    );
    console.log(`  ratio ingestion / bare transaction            ${(pushes.perSecond / bareRate).toFixed(3)}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await container.close();
    await database.drop();
  }
}
