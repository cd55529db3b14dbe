import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { CatalogLookup } from '../catalog/pricing/lookup';
import type { StockAlerts } from './alerts';
import { slotAt } from './capacity';
import type { SceneBuilder } from './context';
import type { ReserveRequest, ReserveResult, Shortage, ShortagePolicy } from './contract';
import { nextSlotWithRoom } from './next-slot';
import type { PushHold, StockPropagation } from './propagation';
import type { StockItemRepo } from './repo';
import type { ReservationRepo } from './reservation-repo';
import { ReservationTransaction, type ReserveOutcome, SlotFull } from './reserve';
import type { StockSettings } from './settings';
import { inTransaction, retryOnLockConflict } from './tx';

export interface ReserveAnswer extends ReserveResult {
  /** Set for platform (`record`) orders that came up short: what the brand wants done with them. */
  shortagePolicy?: ShortagePolicy;
}

const CARRIED_TTL_MS = 5_000;

/** reserve → commit (paid / accepted) → release (cancelled, unpaid timeout, refunded). */
export class StockReservations {
  private readonly transaction: ReservationTransaction;
  private readonly preparedSlots = new Set<string>();
  private readonly carried = new Map<string, { codes: Set<string>; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly items: StockItemRepo,
    private readonly reservations: ReservationRepo,
    private readonly settings: StockSettings,
    private readonly scenes: SceneBuilder,
    private readonly catalog: CatalogLookup,
    private readonly propagation: StockPropagation,
    private readonly alerts: StockAlerts,
    private readonly clock: Clock,
  ) {
    this.transaction = new ReservationTransaction(db, items, reservations);
  }

  async reserve(req: ReserveRequest): Promise<ReserveAnswer> {
    checkRequest(req);
    const store = await this.scenes.store(req.storeId, req.brandId);
    const codes = [...new Set(req.lines.map((l) => l.skuCode))];
    const [skus, carried, capacity] = await Promise.all([
      this.scenes.skus(req.brandId, codes),
      req.mode === 'strict' ? this.carriedBy(req.brandId, req.storeId) : Promise.resolve(null),
      this.settings.capacity(req.storeId),
    ]);
    const productCodes = [...skus.values()].map((s) => s.productCode);
    const scene = await this.scenes.build(store, { skuCodes: codes, productCodes });
    if (capacity) {
      const slot = slotAt(capacity, req.readyAt ?? scene.now, store.timezone);
      const key = `${store.id}|${slot.start}`;
      if (slot.period && !this.preparedSlots.has(key)) {
        await retryOnLockConflict(() => this.reservations.ensureSlot(this.db, store.id, slot.start, scene.now));
        if (this.preparedSlots.size > 10_000) this.preparedSlots.clear();
        this.preparedSlots.add(key);
      }
    }

    let outcome: ReserveOutcome;
    try {
      let hold: PushHold = new Map();
      outcome = await this.transaction.run(req, scene, { skus, carried }, capacity, {
        begin: async (trx) => {
          hold = await this.propagation.holdPushes(trx, store.id, scene.platforms);
        },
        taken: (trx, tracker) =>
          this.propagation.markInTransaction(
            trx,
            store.id,
            scene.platforms,
            [...tracker.visible],
            tracker.urgent,
            scene.now,
            hold,
          ),
        finish: async (trx, o) => {
          if (req.mode === 'record') await this.alerts.raise(trx, req, scene, o);
        },
      });
    } catch (err) {
      if (!(err instanceof SlotFull)) throw err;
      const nextSlotStart = err.neverFits
        ? null
        : await this.nextSlotWithRoom(store.id, err.items, err.slot.start + (capacity?.slotMinutes ?? 15) * 60_000);
      const limit = err.slot.period;
      throw new AppError(
        'CAPACITY_FULL',
        409,
        err.neverFits
          ? `this order has ${err.items} items; the kitchen makes at most ${limit?.maxItems} per ${capacity?.slotMinutes}-minute slot`
          : `the kitchen is full for the slot at ${new Date(err.slot.start).toISOString()}`,
        {
          slotStart: new Date(err.slot.start).toISOString(),
          nextSlotStart: nextSlotStart === null ? null : new Date(nextSlotStart).toISOString(),
        },
      );
    }
    if (outcome.tracker.changed) {
      await this.propagation.afterCommit(outcome.tracker.notice(store.id, 'reservation'), scene.now);
    }
    if (!outcome.replayed) await this.alerts.announce(req, scene, outcome);
    return this.answer(outcome, scene.policy.shortagePolicy, req.mode);
  }

  /**
   * SKU codes the store sells. Reading and pricing the whole store menu costs more CPU than the
   * reservation itself, so each process keeps the set briefly: a dish taken off a store's menu can
   * still be reserved by an own-channel order for a few seconds (the order flow checks the menu too).
   */
  private async carriedBy(brandId: string, storeId: string): Promise<Set<string>> {
    const now = this.clock.now();
    const hit = this.carried.get(storeId);
    if (hit && hit.until > now) return hit.codes;
    const codes = new Set((await this.catalog.storeMenuSkus(brandId, storeId, 'miniapp')).keys());
    this.carried.set(storeId, { codes, until: now + CARRIED_TTL_MS });
    return codes;
  }

  private answer(outcome: ReserveOutcome, policy: ShortagePolicy, mode: ReserveRequest['mode']): ReserveAnswer {
    const shortages: Shortage[] = outcome.lines
      .filter((l) => l.covered < l.requested)
      .map((l) => ({
        skuCode: l.sku_code,
        requested: l.requested,
        available: l.covered,
        reason: l.short_reason ?? 'insufficient',
      }));
    return {
      ok: shortages.length === 0,
      shortages,
      slotStart: outcome.order.slot_start,
      overloaded: outcome.order.overloaded === 1,
      replayed: outcome.replayed,
      ...(mode === 'record' && shortages.length > 0 ? { shortagePolicy: policy } : {}),
    };
  }

  async commit(orderId: string): Promise<void> {
    const now = this.clock.now();
    if ((await this.reservations.commitLines(this.db, orderId, now)) > 0) return;
    const lines = await this.reservations.lines(this.db, orderId);
    if (lines.length === 0) {
      const order = await this.reservations.order(this.db, orderId);
      if (!order) throw new AppError('NOT_FOUND', 404, `order ${orderId} has no stock reservation`);
      return;
    }
    if (lines.every((l) => l.status === 'released' || l.status === 'wasted')) {
      throw new AppError(
        'RESERVATION_RELEASED',
        409,
        `the reservation of order ${orderId} was already released; reserve again before taking payment`,
      );
    }
  }

  async release(orderId: string, reason: 'cancelled' | 'timeout' | 'refunded'): Promise<void> {
    const order = await this.reservations.order(this.db, orderId);
    if (!order) return; // nothing was ever reserved (a strict reserve that was refused)
    const store = await this.scenes.store(order.store_id);
    const policy = await this.settings.policy(order.brand_id);
    const status = reason === 'refunded' && policy.refundedStock === 'waste' ? 'wasted' : 'released';
    const lines = await this.reservations.lines(this.db, orderId);
    const itemIds = [...new Set(lines.flatMap((l) => [l.sku_item_id, l.product_item_id]))].filter(
      (id): id is string => id !== null,
    );
    const rows = await Promise.all(itemIds.map((id) => this.items.byId(this.db, id)));
    const scene = await this.scenes.build(store, {
      skuCodes: lines.map((l) => l.sku_code),
      productCodes: rows.filter((r) => r?.level === 'product').map((r) => r?.code as string),
    });
    const tracker = scene.tracker();
    const now = scene.now;
    await inTransaction(this.db, async (trx) => {
      for (const line of await this.reservations.lines(trx, orderId)) {
        if (!(await this.reservations.endLine(trx, line.id, status, now))) continue;
        if (status !== 'released' || line.covered === 0) continue;
        for (const id of [line.sku_item_id, line.product_item_id].filter((x): x is string => x !== null).sort()) {
          if (!(await this.items.giveBack(trx, id, line.covered, line.reserved_date, now))) continue;
          const after = await this.items.byId(trx, id);
          if (after?.quantity == null) continue;
          tracker.row(
            after.level,
            after.code,
            { quantity: after.quantity - line.covered, soldOut: after.sold_out === 1 },
            {
              quantity: after.quantity,
              soldOut: after.sold_out === 1,
            },
          );
        }
      }
      // A cancelled order frees its kitchen slot; a refunded one was cooked.
      if (reason !== 'refunded' && (await this.reservations.releaseOrder(trx, orderId, now))) {
        const released = await this.reservations.order(trx, orderId);
        if (released?.slot_start != null && (released.slot_items > 0 || released.slot_orders > 0)) {
          await this.reservations.emptySlot(
            trx,
            { storeId: released.store_id, slotStart: released.slot_start },
            { items: released.slot_items, orders: released.slot_orders },
            now,
          );
        }
      }
      await this.propagation.markInTransaction(
        trx,
        store.id,
        scene.platforms,
        [...tracker.visible],
        tracker.urgent,
        now,
      );
    });
    if (tracker.changed) await this.propagation.afterCommit(tracker.notice(store.id, `release:${reason}`), now);
  }

  /** The next slot start from `from` with room for `items` more items and one more order; null if none today. */
  async nextSlotWithRoom(storeId: string, items: number, from: number): Promise<number | null> {
    const store = await this.scenes.freshStore(storeId);
    return nextSlotWithRoom(this.db, this.reservations, await this.settings.capacity(storeId), store, items, from);
  }
}

function checkRequest(req: ReserveRequest): void {
  const bad = (message: string) => new AppError('VALIDATION_FAILED', 400, message);
  if (req.mode !== 'strict' && req.mode !== 'record') throw bad('mode must be strict or record');
  const ids = new Set<string>();
  for (const line of req.lines) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw bad(`line ${line.lineId}: quantity must be a whole number of at least 1`);
    }
    if (ids.has(line.lineId)) throw bad(`line id ${line.lineId} appears twice`);
    ids.add(line.lineId);
  }
}
