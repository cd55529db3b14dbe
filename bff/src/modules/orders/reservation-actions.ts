import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { OrderStatus, ReservationOverride, ReservationReleaseRequest } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { StaffPrincipal } from '../../lib/principal';
import type { StockPort } from '../stock/contract';
import type { OrderRepo, OrderRow } from './repo';
import { isOwnChannel } from './service';
import { rankOf } from './status';
import type { OrderStockFlow } from './stock-flow';

type Action = 'commit' | 'release';
type ReleaseReason = ReservationReleaseRequest['reason'];

/** What the order's state says its stock should be: sold (commit), given back (release), or still held. */
export function stockDueFor(order: Pick<OrderRow, 'status' | 'channel'>): Action | 'hold' {
  const status = order.status as OrderStatus;
  if (status === 'cancelled' || status === 'refunded') return 'release';
  const sold = isOwnChannel(order.channel)
    ? status !== 'pending_payment'
    : (rankOf(status) ?? 0) >= (rankOf('accepted') as number) || status === 'partially_refunded';
  return sold ? 'commit' : 'hold';
}

const OVERRIDERS = new Set(['hq_admin', 'region_manager', 'store_manager']);

/**
 * Staff commit or release an order's reservation. For an order we hold, the action must be the
 * one its state calls for (then it is the same settling the order flow does by itself); anything
 * else is a manager's override, with a reason, kept as a `stock.override` order event. A
 * reservation of an order taken at the store's own POS (no order row here) follows the POS.
 */
export class ReservationActions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: OrderRepo,
    private readonly flow: OrderStockFlow,
    private readonly stock: StockPort,
    private readonly clock: Clock,
  ) {}

  async act(
    storeId: string,
    orderId: string,
    staff: StaffPrincipal,
    action: Action,
    options: { reason?: ReleaseReason; override?: ReservationOverride | undefined },
  ): Promise<void> {
    if ((await this.stock.reservationStore(orderId)) !== storeId) {
      throw new AppError('NOT_FOUND', 404, `order ${orderId} has no stock reservation at this store`);
    }
    const order = await this.repo.get(orderId);
    const reason = options.reason ?? 'cancelled';
    if (!order) {
      await (action === 'commit' ? this.stock.commit(orderId) : this.stock.release(orderId, reason));
      return;
    }
    if (stockDueFor(order) === action) {
      await this.flow.settle(orderId);
      return;
    }
    if (!options.override) {
      throw new AppError(
        'ORDER_STATE',
        409,
        `this order is ${order.status}: its stock ${action === 'commit' ? 'is sold once it is paid or accepted' : 'goes back once it is cancelled or refunded'}; a manager may override with a reason`,
      );
    }
    if (!OVERRIDERS.has(staff.role)) {
      throw new AppError('FORBIDDEN', 403, 'only a store manager or above may override an order’s stock');
    }
    await this.override(order, staff, action, reason, options.override.reason);
  }

  private async override(order: OrderRow, staff: StaffPrincipal, action: Action, reason: ReleaseReason, why: string) {
    await (action === 'commit' ? this.stock.commit(order.id) : this.stock.release(order.id, reason));
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('orders')
        .set((eb) => ({
          stock_state: action === 'commit' ? 'committed' : 'released',
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', order.id)
        .execute();
      await this.repo.insertEvent(trx, {
        orderId: order.id,
        type: 'stock.override',
        from: null,
        to: null,
        actor: { source: 'staff', id: staff.id },
        reason: why,
        data: {
          action,
          status: order.status,
          stockState: order.stock_state,
          ...(action === 'release' ? { reason } : {}),
        },
        at: now,
      });
    });
  }
}
