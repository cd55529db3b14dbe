import type { Database } from 'db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { chunk } from '../../../lib/chunk';
import type { Clock } from '../../../lib/clock';
import type { Logger } from '../../../logger';
import { AbandonDelivery, DeferDelivery, type DeliveryContext, type OutboxWorker } from '../../../sync/worker';
import type { StoreService } from '../../stores/service';
import type { SoldOutSource } from '../sold-out';
import type {
  ChannelCategoryDoc,
  ChannelDishDoc,
  DishUpsert,
  PlatformMenuClient,
  PlatformMenuClients,
  PlatformStore,
  PriceUpdate,
} from './platform-menu';
import { CATALOG_SYNC_TOPIC, type CatalogSyncPayload } from './publish';
import type { CallItem } from './publish-diff';
import { MappingRepo } from './repo-mapping';
import { SyncRepo } from './repo-sync';
import type { StoreBindings } from './store-bindings';
import { describeFailure, failureKind, retryAfter } from './sync-errors';

/** Pause after a platform's over-frequency answer that did not say how long to wait. */
const PLATFORM_RATE_LIMIT_PAUSE_MS = 2_000;

const Payload = z.object({
  v: z.literal(1),
  storeId: z.string(),
  platform: z.enum(['meituan', 'eleme']),
  publishId: z.string(),
  op: z.enum(['upsert_categories', 'upsert_dishes', 'update_prices', 'delete_dishes', 'delete_categories']),
  items: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      bodyHash: z.string().nullable(),
      priceHash: z.string().nullable(),
      doc: z.unknown(),
    }),
  ),
});

/**
 * Delivers `catalog.sync` messages: the platform calls a publish queued for one store and platform.
 * Each call's answer is recorded per item as it comes back, so a retry (after a rate limit, a
 * timeout or a dead process) sends only what the platform has not accepted yet. A refused call
 * marks its items failed with the platform's reason; a store that lost its binding fails its
 * items without crashing the sync.
 */
export class CatalogSyncWorker {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly stores: StoreService,
    private readonly bindings: StoreBindings,
    private readonly clients: PlatformMenuClients,
    private readonly logger: Logger,
    private readonly maxAttempts = 12,
    private readonly stock?: SoldOutSource,
  ) {}

  register(outbox: OutboxWorker): void {
    outbox.register(CATALOG_SYNC_TOPIC, (payload, context) => this.deliver(payload, context), {
      maxAttempts: this.maxAttempts,
    });
  }

  async deliver(raw: unknown, context: DeliveryContext): Promise<void> {
    const parsed = Payload.safeParse(raw);
    if (!parsed.success) throw new AbandonDelivery(`malformed catalog.sync payload: ${parsed.error.message}`);
    const payload = parsed.data as CatalogSyncPayload;
    const repo = new SyncRepo(this.db);
    const pending = new Set(payload.items.map((i) => i.key));
    const fail = (state: 'failed' | 'pending', message: string) =>
      repo.noteError(payload.storeId, payload.platform, [...pending], state, message, this.clock.now());

    const client = this.clients[payload.platform];
    const store = await this.stores.find(payload.storeId);
    if (!client || !store) {
      await fail('failed', client ? 'the store no longer exists' : `no ${payload.platform} menu client is configured`);
      return;
    }
    const target = await this.bindings.platformStore(store, payload.platform);
    if (!target) {
      await fail('failed', `the store is not bound to ${payload.platform}; bind it and publish again`);
      return;
    }
    try {
      const run = { client, target, brandId: store.brand_id, repo, pending, payload };
      switch (payload.op) {
        case 'upsert_categories':
          return await this.upsertCategories(run);
        case 'upsert_dishes':
          return await this.upsertDishes(run);
        case 'update_prices':
          return await this.updatePrices(run);
        case 'delete_dishes':
          return await this.deleteDishes(run);
        case 'delete_categories':
          return await this.deleteCategories(run);
      }
    } catch (err) {
      if (err instanceof DeferDelivery) {
        await fail('pending', `waiting for the ${payload.platform} rate limit`);
        throw err;
      }
      const message = describeFailure(err);
      const kind = failureKind(err);
      if (kind === 'rate_limited') {
        await fail('pending', `${payload.platform} asked us to slow down: ${message}`);
        throw new DeferDelivery(retryAfter(err) ?? PLATFORM_RATE_LIMIT_PAUSE_MS, message);
      }
      const last = context.attempts + 1 >= this.maxAttempts;
      await fail(
        last ? 'failed' : 'pending',
        last ? `gave up after ${this.maxAttempts} attempts: ${message}` : `retrying: ${message}`,
      );
      throw err;
    }
  }

  private async upsertCategories(run: Run): Promise<void> {
    const { client, target, repo, payload, pending } = run;
    for (const item of payload.items) {
      const row = await repo.item(payload.storeId, payload.platform, item.key);
      if (row?.accepted_body_hash === item.bodyHash) {
        pending.delete(item.key);
        continue;
      }
      const previous = row?.accepted_doc
        ? { name: (JSON.parse(row.accepted_doc) as ChannelCategoryDoc).name, platformId: row.platform_id }
        : null;
      await this.guarded(run, [item.key], async () => {
        const result = await client.upsertCategory(target, item.doc as ChannelCategoryDoc, previous);
        await this.accept(run, item, result.platformId ?? row?.platform_id ?? null);
      });
    }
  }

  private async upsertDishes(run: Run): Promise<void> {
    const { client, target, repo, payload, pending } = run;
    const rows = new Map((await repo.items(payload.storeId, payload.platform)).map((r) => [r.item_key, r]));
    const mappings = await new MappingRepo(this.db).mappings([payload.storeId], payload.platform);
    const soldOut = this.stock ? await this.stock.soldOutSkuCodes(payload.storeId) : new Set<string>();
    const todo: { item: CallItem; upsert: DishUpsert }[] = [];
    for (const item of payload.items) {
      const row = rows.get(item.key);
      if (row?.accepted_body_hash === item.bodyHash && row?.accepted_price_hash === item.priceHash) {
        pending.delete(item.key);
        continue;
      }
      const doc = item.doc as ChannelDishDoc;
      const categoryPlatformId = rows.get(`category:${doc.categoryCode}`)?.platform_id ?? null;
      if (client.platform === 'eleme' && !categoryPlatformId) {
        await repo.noteError(
          payload.storeId,
          payload.platform,
          [item.key],
          'failed',
          `category ${doc.categoryName} is not on ${client.platform} yet`,
          this.clock.now(),
        );
        pending.delete(item.key);
        continue;
      }
      const mine = mappings.filter((m) => m.productCode === doc.code);
      todo.push({
        item,
        upsert: {
          doc,
          platformItemId: row?.platform_id ?? mine[0]?.platformItemId ?? null,
          platformSkuIds: Object.fromEntries(mine.map((m) => [m.skuCode, m.platformSkuId])),
          categoryPlatformId,
          soldOutSkuCodes: doc.skus.filter((s) => soldOut.has(s.code)).map((s) => s.code),
        },
      });
    }
    for (const batch of chunk(todo, client.limits.dishesPerCall)) {
      await this.guarded(
        run,
        batch.map((b) => b.item.key),
        async () => {
          const results = await client.upsertDishes(
            target,
            batch.map((b) => b.upsert),
          );
          const byCode = new Map(results.map((r) => [r.code, r]));
          for (const { item, upsert } of batch) {
            const result = byCode.get(upsert.doc.code);
            if (!result) continue;
            await new MappingRepo(this.db).record(
              run.brandId,
              payload.storeId,
              payload.platform,
              Object.entries(result.platformSkuIds).map(([skuCode, platformSkuId]) => ({
                skuCode,
                platformItemId: result.platformItemId,
                platformSkuId,
              })),
              this.clock.now(),
            );
            await this.accept(run, item, result.platformItemId);
          }
        },
      );
    }
    const unconfirmed = todo.map((t) => t.item.key).filter((k) => pending.has(k));
    await repo.noteError(
      payload.storeId,
      payload.platform,
      unconfirmed,
      'failed',
      `${client.platform} did not confirm these dishes`,
      this.clock.now(),
    );
    for (const k of unconfirmed) pending.delete(k);
  }

  private async updatePrices(run: Run): Promise<void> {
    const { client, target, repo, payload, pending } = run;
    const rows = new Map((await repo.items(payload.storeId, payload.platform)).map((r) => [r.item_key, r]));
    const mappings = await new MappingRepo(this.db).mappings([payload.storeId], payload.platform);
    const idBySku = new Map(mappings.map((m) => [m.skuCode, m]));
    const todo: { item: CallItem; update: PriceUpdate }[] = [];
    for (const item of payload.items) {
      const row = rows.get(item.key);
      if (row?.accepted_price_hash === item.priceHash) {
        pending.delete(item.key);
        continue;
      }
      const doc = item.doc as ChannelDishDoc;
      const unmapped = doc.skus.filter((s) => !idBySku.has(s.code)).map((s) => s.code);
      if (unmapped.length) {
        await repo.noteError(
          payload.storeId,
          payload.platform,
          [item.key],
          'failed',
          `SKU ${unmapped.join(', ')} has no ${client.platform} mapping; publish the dish again`,
          this.clock.now(),
        );
        pending.delete(item.key);
        continue;
      }
      todo.push({
        item,
        update: {
          code: doc.code,
          platformItemId: idBySku.get(doc.skus[0]?.code ?? '')?.platformItemId ?? row?.platform_id ?? doc.code,
          skus: doc.skus.map((s) => ({
            code: s.code,
            platformSkuId: idBySku.get(s.code)?.platformSkuId as string,
            price: s.price,
          })),
        },
      });
    }
    for (const batch of chunk(todo, client.limits.pricesPerCall)) {
      await this.guarded(
        run,
        batch.map((b) => b.item.key),
        async () => {
          await client.updatePrices(
            target,
            batch.map((b) => b.update),
          );
          for (const { item } of batch) await this.accept(run, item, undefined);
        },
      );
    }
  }

  private async deleteDishes(run: Run): Promise<void> {
    const { client, target, repo, payload, pending } = run;
    for (const item of payload.items) {
      const doc = item.doc as { accepted: ChannelDishDoc | null; platformId: string | null };
      const code = item.key.slice('dish:'.length);
      const platformItemId = doc.platformId ?? code;
      await this.guarded(run, [item.key], async () => {
        await client.deleteDish(target, { code, platformItemId });
        await new MappingRepo(this.db).forgetItem(payload.storeId, payload.platform, platformItemId);
        await repo.acceptDeletion(payload.storeId, payload.platform, item.key, this.clock.now());
        pending.delete(item.key);
      });
    }
  }

  private async deleteCategories(run: Run): Promise<void> {
    const { client, target, repo, payload, pending } = run;
    for (const item of payload.items) {
      const doc = item.doc as { accepted: ChannelCategoryDoc | null; platformId: string | null };
      await this.guarded(run, [item.key], async () => {
        await client.deleteCategory(target, { name: doc.accepted?.name ?? item.name, platformId: doc.platformId });
        await repo.acceptDeletion(payload.storeId, payload.platform, item.key, this.clock.now());
        pending.delete(item.key);
      });
    }
  }

  /**
   * One platform call for `keys`. When the platform refuses it (the request itself: retrying the
   * same payload cannot help), those items fail with its reason and the message goes on with the
   * rest; anything else (rate limit, timeout, 5xx) ends this delivery for the outbox to retry.
   */
  private async guarded(run: Run, keys: string[], call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (failureKind(err) !== 'refused') throw err;
      const message = describeFailure(err);
      this.logger.warn(
        { platform: run.payload.platform, storeId: run.payload.storeId, op: run.payload.op, keys, err: message },
        'platform refused a menu call',
      );
      await run.repo.noteError(run.payload.storeId, run.payload.platform, keys, 'failed', message, this.clock.now());
      for (const k of keys) run.pending.delete(k);
    }
  }

  private async accept(run: Run, item: CallItem, platformId: string | null | undefined): Promise<void> {
    await run.repo.accept(
      run.payload.storeId,
      run.payload.platform,
      item.key,
      { bodyHash: item.bodyHash as string, priceHash: item.priceHash as string, doc: item.doc, platformId },
      this.clock.now(),
    );
    run.pending.delete(item.key);
  }
}

interface Run {
  client: PlatformMenuClient;
  target: PlatformStore;
  brandId: string;
  repo: SyncRepo;
  pending: Set<string>;
  payload: CatalogSyncPayload;
}
