import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { OrderStatus } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../logger';
import type { ReserveResult, StockPort } from '../stock/contract';
import { parseFlags } from './model';
import type { OrderRepo, OrderRow } from './repo';
import { isOwnChannel, type OrderService } from './service';
import { rankOf } from './status';

const ACCEPTED_RANK = rankOf('accepted') as number;

/**
 * What every order owes the stock pool: a reservation when it arrives (`record` for platform
 * orders, which are already sold; `strict` for our own), a commit when it is paid or accepted,
 * and a release when it is cancelled, timed out or refunded. Each step is idempotent and
 * re-entrant: a crash between two steps is finished by the next attempt.
 */
export class OrderStockFlow {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: OrderRepo,
    private readonly orders: OrderService,
    private readonly stock: StockPort,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  private reservable(lines: Awaited<ReturnType<OrderRepo['lines']>>) {
    return lines
      .filter((l) => l.sku_code !== null && l.unmapped === 0 && l.quantity > 0)
      .map((l) => ({ lineId: l.id, skuCode: l.sku_code as string, quantity: l.quantity }));
  }

  /**
   * A platform order is recorded against stock whatever it finds; a shortage flags the order and
   * the brand's policy decides: `auto_cancel` cancels it on the platform ("sold out"),
   * `accept_and_alert` keeps it in the kitchen's flow with an alert.
   */
  async reservePlatformOrder(order: OrderRow, readyAt: number | null): Promise<void> {
    if (order.stock_state === 'none') {
      const lines = this.reservable(await this.repo.lines([order.id]));
      if (lines.length > 0) {
        let result: ReserveResult;
        try {
          result = await this.stock.reserve({
            brandId: order.brand_id,
            storeId: order.store_id,
            orderId: order.id,
            channel: order.channel,
            lines,
            mode: 'record',
            readyAt: readyAt ?? order.promised_at ?? order.placed_at,
          });
        } catch (err) {
          // Released meanwhile (cancelled or refunded while this apply was retried): nothing to hold.
          if (!(err instanceof AppError && err.code === 'RESERVATION_RELEASED')) throw err;
          return this.settle(order.id);
        }
        if (!(await this.recordReservation(order, result))) await this.giveBackIfReleased(order.id);
      }
    }
    const fresh = await this.orders.get(order.id);
    const flags = parseFlags(fresh.flags);
    if (flags.stockShort && fresh.status === 'placed') {
      const policy = await this.stock.shortagePolicy(fresh.brand_id);
      if (policy === 'auto_cancel') {
        await this.orders.move(fresh, {
          to: 'cancelled',
          from: ['placed'],
          actor: { source: 'system', id: 'shortage-policy' },
          reason: 'sold out',
          set: { cancel_reason: 'sold_out' },
          calls: [{ op: 'cancel', reason: 'sold_out' }],
        });
      }
    }
    if (fresh.status !== 'placed') await this.settle(fresh.id);
  }

  /**
   * The order's stock was settled as released while this call was reserving (a cancel between
   * reading `none` and reserving): the hold just made is given back, so nothing stays held for a
   * dead order.
   */
  private async giveBackIfReleased(orderId: string): Promise<void> {
    const now = await this.orders.get(orderId);
    if (now.stock_state !== 'released') return;
    await this.stock.release(orderId, now.status === 'refunded' ? 'refunded' : 'cancelled');
  }

  /**
   * The repair pass: platform orders left with no stock accounted (by a crash under an earlier
   * version that skipped the stock step on retry) are reserved now, or released when they are
   * already over. Answers how many it put right. Safe to run from every process at once.
   */
  async repairUnaccounted(before: number, limit = 100): Promise<number> {
    let repaired = 0;
    for (const order of await this.repo.unaccountedPlatformOrders(before, limit)) {
      const status = order.status as OrderStatus;
      try {
        if (status === 'cancelled' || status === 'refunded') await this.settle(order.id);
        else await this.reservePlatformOrder(order, null);
      } catch (err) {
        // One order the pool refuses must not keep the others from being put right.
        this.logger.error({ err, orderId: order.id }, 'platform order without stock could not be repaired');
        continue;
      }
      if ((await this.orders.get(order.id)).stock_state === 'none') continue;
      repaired++;
      this.logger.warn({ orderId: order.id, status }, 'platform order had no stock accounted: repaired');
    }
    return repaired;
  }

  private async recordReservation(order: OrderRow, result: ReserveResult): Promise<boolean> {
    const now = this.clock.now();
    const flags = parseFlags(order.flags);
    flags.stockShort = !result.ok;
    flags.overloaded = result.overloaded;
    flags.shortages = result.shortages.map((s) => ({
      skuCode: s.skuCode,
      requested: s.requested,
      available: s.available,
    }));
    const policy = result.ok ? null : await this.stock.shortagePolicy(order.brand_id);
    const recorded = await this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('orders')
        .set((eb) => ({
          stock_state: 'reserved',
          flags: JSON.stringify(flags),
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', order.id)
        .where('stock_state', '=', 'none')
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      await this.repo.markShortLines(
        trx,
        order.id,
        result.shortages.map((s) => s.skuCode),
      );
      if (!result.ok) {
        await this.repo.insertEvent(trx, {
          orderId: order.id,
          type: 'stock.short',
          from: null,
          to: null,
          actor: { source: 'system', id: 'stock' },
          reason:
            policy === 'auto_cancel' ? 'short of stock: cancelled by policy' : 'short of stock: check before cooking',
          data: { shortages: flags.shortages },
          at: now,
        });
      }
      return true;
    });
    if (recorded && !result.ok) await this.orders.publish(order, 'order.alert');
    return recorded;
  }

  /**
   * Own channels: every line and the kitchen slot, or nothing (AppError 409 STOCK_INSUFFICIENT or
   * CAPACITY_FULL from the stock pool, which the caller lets through to the member).
   */
  async reserveOwnOrder(order: OrderRow, readyAt: number): Promise<ReserveResult> {
    const result = await this.stock.reserve({
      brandId: order.brand_id,
      storeId: order.store_id,
      orderId: order.id,
      channel: order.channel,
      lines: this.reservable(await this.repo.lines([order.id])),
      mode: 'strict',
      readyAt,
    });
    await this.repo.moveStockState(order.id, 'none', 'reserved', this.clock.now());
    return result;
  }

  /** Undoes an own order's reservation at once (its placement failed after reserving). */
  async releaseOwnOrder(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId);
    if (order.stock_state === 'released') return;
    await this.stock.release(orderId, 'cancelled');
    await this.repo.moveStockState(orderId, order.stock_state, 'released', this.clock.now());
  }

  /**
   * Brings the stock pool in line with the order: a final order gives back what it held; a paid
   * (own) or accepted (platform) order turns its reservation into a sale. The `orders.stock`
   * outbox topic runs this after every transition that matters.
   */
  async settle(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId);
    const status = order.status as OrderStatus;
    const now = this.clock.now();
    if (status === 'cancelled' || status === 'refunded') {
      if (order.stock_state === 'released') return;
      const reason =
        status === 'refunded' ? 'refunded' : order.cancel_reason === 'timeout' ? 'timeout' : ('cancelled' as const);
      await this.stock.release(order.id, reason);
      await this.repo.moveStockState(order.id, order.stock_state, 'released', now);
      return;
    }
    if (order.stock_state !== 'reserved') return;
    const sold = isOwnChannel(order.channel)
      ? status !== 'pending_payment'
      : (rankOf(status) ?? 0) >= ACCEPTED_RANK || status === 'partially_refunded';
    if (!sold) return;
    await this.stock.commit(order.id);
    await this.repo.moveStockState(order.id, 'reserved', 'committed', now);
    this.logger.debug({ orderId }, 'stock committed');
  }
}
