import { type Database, insertIfAbsent, newId, type StockReservationTable } from 'db';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { AppError } from '../../lib/errors';
import type { CatalogLookup } from '../catalog/pricing/lookup';
import { type CapacityConfig, isOverloaded, type Slot, slotAt } from './capacity';
import { type ChangeTracker, normalizeRow } from './changes';
import type { StoreScene } from './context';
import type { ReservationLine, ReserveRequest, Shortage } from './contract';
import { productKey, type StockItemRow, skuKey } from './model';
import type { StockItemRepo } from './repo';
import type { ReservationRepo, ReservationRow, StockOrderRow } from './reservation-repo';
import { StockTaking } from './take';
import { inTransaction } from './tx';

/** Thrown inside the transaction (rolling it back) when a strict order does not fit its slot. */
export class SlotFull extends Error {
  constructor(
    readonly slot: Slot,
    readonly items: number,
    readonly neverFits: boolean,
  ) {
    super('capacity slot full');
  }
}

export interface ReserveOutcome {
  order: StockOrderRow;
  lines: Pick<ReservationRow, 'sku_code' | 'requested' | 'covered' | 'short_reason'>[];
  replayed: boolean;
  /** Shortages of the lines reserved by this call (for alerts). */
  newShortages: Shortage[];
  newlyOverloaded: boolean;
  tracker: ChangeTracker;
}

interface Catalog {
  /** Brand SKUs by code, with their product code. */
  skus: Awaited<ReturnType<CatalogLookup['skusByCodes']>>;
  /** For strict orders: what the store sells on the order's channel. */
  carried: Set<string> | null;
}

/**
 * The reservation transaction: all lines and the kitchen slot, or nothing (strict); or everything
 * recorded with shortages flagged and nothing below zero (record). Idempotent per (order, line).
 */
export class ReservationTransaction {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly items: StockItemRepo,
    private readonly reservations: ReservationRepo,
  ) {
    this.taking = new StockTaking(items);
  }

  private readonly taking: StockTaking;

  /**
   * Phases, ordered so that the hot row (a popular dish's count) is locked as late and held as
   * briefly as possible: claim the order, write the lines, take a shared hold on the push state,
   * then take the stock, mark it for platforms, count the kitchen slot, commit.
   */
  run(
    req: ReserveRequest,
    scene: StoreScene,
    catalog: Catalog,
    capacity: CapacityConfig | null,
    hooks: {
      /** Before any hot row is locked (the shared push hold). */
      begin(trx: Transaction<Database>): Promise<void>;
      /** After the stock is taken: propagation marks. */
      taken(trx: Transaction<Database>, tracker: ChangeTracker): Promise<void>;
      /** Last: alerts, committed with the reservation. */
      finish(trx: Transaction<Database>, outcome: ReserveOutcome): Promise<void>;
    },
  ): Promise<ReserveOutcome> {
    return inTransaction(this.db, async (trx) => {
      const tracker = scene.tracker();
      const now = scene.now;
      // Claiming the order row first serializes retries of the same order across processes.
      const newOrder: StockOrderRow = {
        order_id: req.orderId,
        brand_id: req.brandId,
        store_id: req.storeId,
        channel: req.channel,
        mode: req.mode,
        slot_start: null,
        slot_items: 0,
        slot_orders: 0,
        overloaded: 0,
        status: 'active',
        created_at: now,
        updated_at: now,
      };
      const created = await insertIfAbsent(trx, 'stock_order', newOrder, ['order_id']);
      let order: StockOrderRow = newOrder;
      let prior: ReservationRow[] = [];
      if (!created) {
        order = (await this.reservations.order(trx, req.orderId)) as StockOrderRow;
        if (order.store_id !== req.storeId) {
          throw new AppError('RESERVATION_CONFLICT', 409, `order ${req.orderId} is reserved at another store`);
        }
        if (order.status === 'released') {
          throw new AppError('RESERVATION_RELEASED', 409, `the reservation of order ${req.orderId} was released`);
        }
        prior = await this.reservations.lines(trx, req.orderId);
      }
      const fresh = freshLines(req.lines, prior);
      if (fresh.length === 0 && (req.lines.length > 0 || !created)) {
        return { order, lines: prior, replayed: true, newShortages: [], newlyOverloaded: false, tracker };
      }

      const rows = await this.currentRows(trx, scene, fresh, catalog, tracker);
      const plans = fresh.map((line) => {
        const sku = catalog.skus.get(line.skuCode);
        const known = sku !== undefined && (!catalog.carried || catalog.carried.has(line.skuCode));
        const own = known
          ? [rows.get(skuKey(line.skuCode)), rows.get(productKey(sku.productCode))].filter(
              (r): r is StockItemRow => r !== undefined,
            )
          : [];
        const counted = own.filter((r) => r.quantity !== null);
        return {
          line,
          known,
          own,
          counted,
          row: {
            id: newId(now),
            order_id: req.orderId,
            line_id: line.lineId,
            brand_id: req.brandId,
            store_id: req.storeId,
            channel: req.channel,
            mode: req.mode,
            sku_code: line.skuCode,
            requested: line.quantity,
            covered: known ? line.quantity : 0,
            short_reason: (known ? null : 'unknown_sku') as Shortage['reason'] | null,
            sku_item_id: counted.find((r) => r.level === 'sku')?.id ?? null,
            product_item_id: counted.find((r) => r.level === 'product')?.id ?? null,
            reserved_date: counted.some((r) => r.daily_limit !== null) ? scene.today : null,
            status: 'held' as const,
            created_at: now,
            updated_at: now,
          } satisfies Insertable<StockReservationTable>,
        };
      });
      // Written as if fully covered; a strict shortage rolls them back, a record one corrects them below.
      await this.reservations.insertLines(
        trx,
        plans.map((p) => p.row),
      );
      await hooks.begin(trx);

      const shortages: Shortage[] = [];
      let failing = false;
      for (const plan of plans) {
        const { line } = plan;
        if (!plan.known) {
          shortages.push({ skuCode: line.skuCode, requested: line.quantity, available: 0, reason: 'unknown_sku' });
          failing = true;
          continue;
        }
        const mode = req.mode === 'strict' && failing ? 'check' : req.mode;
        const take = await this.taking.takeLine(trx, line, plan.own, plan.counted, mode, now, tracker);
        if (!take.shortage) continue;
        shortages.push(take.shortage);
        failing = true;
        if (req.mode === 'record') {
          plan.row.covered = take.covered;
          plan.row.short_reason = take.shortage.reason;
          await this.reservations.setCovered(trx, plan.row.id, take.covered, take.shortage.reason, now);
        }
      }
      if (req.mode === 'strict' && shortages.length > 0) {
        throw new AppError('STOCK_INSUFFICIENT', 409, shortageMessage(shortages), { shortages });
      }
      await hooks.taken(trx, tracker);

      const items = fresh.reduce((sum, l) => sum + l.quantity, 0);
      const wasOverloaded = order.overloaded === 1;
      const slot = await this.countIntoSlot(trx, req, scene, order, capacity, { items, orders: created ? 1 : 0 });
      if (slot) {
        await this.reservations.updateOrderSlot(
          trx,
          req.orderId,
          { slotStart: slot.start, addItems: items, addOrders: created ? 1 : 0, overloaded: slot.overloaded },
          now,
        );
        order = {
          ...order,
          slot_start: slot.start,
          slot_items: order.slot_items + items,
          slot_orders: order.slot_orders + (created ? 1 : 0),
          overloaded: slot.overloaded ? 1 : order.overloaded,
        };
      }
      const outcome: ReserveOutcome = {
        order,
        lines: [...prior, ...plans.map((p) => p.row)],
        replayed: false,
        newShortages: shortages,
        newlyOverloaded: (slot?.overloaded ?? false) && !wasOverloaded,
        tracker,
      };
      await hooks.finish(trx, outcome);
      return outcome;
    });
  }

  /** The rows the new lines draw on, with what time has done to them written first (daily reset, expired marks). */
  private async currentRows(
    trx: Transaction<Database>,
    scene: StoreScene,
    lines: ReservationLine[],
    catalog: Catalog,
    tracker: ChangeTracker,
  ) {
    const skuCodes = [...new Set(lines.map((l) => l.skuCode))];
    const productCodes = [
      ...new Set(skuCodes.map((c) => catalog.skus.get(c)?.productCode).filter((c) => c !== undefined)),
    ];
    const found = await this.items.rowsFor(trx, scene.store.id, skuCodes, productCodes);
    const out = new Map<string, StockItemRow>();
    for (const row of found.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const fresh = await normalizeRow(trx, this.items, row, {
        brandId: scene.brandId,
        now: scene.now,
        today: scene.today,
        tracker,
      });
      out.set(row.level === 'sku' ? skuKey(row.code) : productKey(row.code), fresh);
    }
    return out;
  }

  /**
   * Counts the order into its kitchen slot. Strict orders only if the slot keeps within its
   * limits (conditional UPDATE); platform orders always, flagging the slot overloaded.
   */
  private async countIntoSlot(
    trx: Transaction<Database>,
    req: ReserveRequest,
    scene: StoreScene,
    order: StockOrderRow,
    capacity: CapacityConfig | null,
    add: { items: number; orders: number },
  ): Promise<{ start: number; overloaded: boolean } | null> {
    if (!capacity) return null;
    const slot = slotAt(capacity, order.slot_start ?? req.readyAt ?? scene.now, scene.store.timezone);
    if (!slot.period) return null;
    const strict = req.mode === 'strict';
    if (strict && slot.period.maxItems !== null && add.items > slot.period.maxItems) {
      throw new SlotFull(slot, add.items, true);
    }
    const key = { storeId: req.storeId, slotStart: slot.start };
    const limits = strict ? slot.period : null;
    let counted = await this.reservations.fillSlot(trx, key, add, limits, scene.now);
    if (!counted && !(await this.reservations.slot(trx, req.storeId, slot.start))) {
      await this.reservations.ensureSlot(trx, req.storeId, slot.start, scene.now);
      counted = await this.reservations.fillSlot(trx, key, add, limits, scene.now);
    }
    if (!counted) throw new SlotFull(slot, add.items, false);
    const load = await this.reservations.slot(trx, req.storeId, slot.start);
    return { start: slot.start, overloaded: load ? isOverloaded(slot.period, load) : false };
  }
}

function freshLines(lines: ReservationLine[], prior: ReservationRow[]): ReservationLine[] {
  const byLine = new Map(prior.map((p) => [p.line_id, p]));
  const fresh: ReservationLine[] = [];
  for (const line of lines) {
    const before = byLine.get(line.lineId);
    if (!before) {
      fresh.push(line);
      continue;
    }
    if (before.sku_code !== line.skuCode || before.requested !== line.quantity) {
      throw new AppError(
        'RESERVATION_CONFLICT',
        409,
        `line ${line.lineId} of this order was reserved as ${before.requested} × ${before.sku_code}`,
        { lineId: line.lineId },
      );
    }
  }
  return fresh.sort((a, b) => (a.skuCode < b.skuCode ? -1 : a.skuCode > b.skuCode ? 1 : 0));
}

export function shortageMessage(shortages: Shortage[]): string {
  const parts = shortages.map((s) =>
    s.reason === 'unknown_sku'
      ? `${s.skuCode} is not on this store's menu`
      : s.reason === 'sold_out'
        ? `${s.skuCode} is sold out`
        : `only ${s.available} × ${s.skuCode} left`,
  );
  return parts.join('; ');
}
