import type { RequestPaymentParams } from 'shared-types';
import type { Logger } from '../../logger';
import type { OrderRow } from '../orders/repo';
import type { OrderService } from '../orders/service';
import type { OrderStockFlow } from '../orders/stock-flow';
import type { PaymentService } from '../payments/service';

/** What the placement steps share: the order and what each step produced. */
export interface PlacementContext {
  order: OrderRow;
  /** When the kitchen should have it ready (picks the capacity slot). */
  readyAt: number;
  description: string;
  payment?: RequestPaymentParams;
}

/**
 * One step of placing an own-channel order, with the compensation that undoes it if a later step
 * fails. Both must be safe to run again: a placement retried after a crash runs every step anew.
 */
export interface PlacementStep {
  name: string;
  run(ctx: PlacementContext): Promise<void>;
  undo(ctx: PlacementContext): Promise<void>;
}

/** Stock and the kitchen slot, all lines or none (`strict`). */
export function reserveStockStep(stockFlow: OrderStockFlow): PlacementStep {
  return {
    name: 'reserve-stock',
    run: async (ctx) => {
      await stockFlow.reserveOwnOrder(ctx.order, ctx.readyAt);
    },
    undo: async (ctx) => {
      await stockFlow.releaseOwnOrder(ctx.order.id);
    },
  };
}

/** The WeChat Pay prepay and the wx.requestPayment parameters; undone by closing it. */
export function createPaymentStep(payments: PaymentService): PlacementStep {
  return {
    name: 'create-payment',
    run: async (ctx) => {
      ctx.payment = await payments.startPayment(ctx.order, ctx.description);
    },
    undo: async (ctx) => {
      await payments.closeUnpaid(ctx.order.id);
    },
  };
}

/**
 * Places an order by running its steps in order — reserve stock → [lock coupons] → [hold stored
 * value] → create payment — and on a failure undoing the steps already done, newest first, then
 * giving the order up. Coupons and stored value plug in as steps of the same shape.
 */
export class Placement {
  constructor(
    private readonly steps: PlacementStep[],
    private readonly orders: OrderService,
    private readonly logger: Logger,
  ) {}

  async run(ctx: PlacementContext): Promise<RequestPaymentParams> {
    const done: PlacementStep[] = [];
    try {
      for (const step of this.steps) {
        await step.run(ctx);
        done.push(step);
      }
    } catch (err) {
      for (const step of done.reverse()) {
        try {
          await step.undo(ctx);
        } catch (undoErr) {
          // The unpaid timeout gives back whatever an undo could not.
          this.logger.error({ err: undoErr, orderId: ctx.order.id, step: step.name }, 'placement undo failed');
        }
      }
      const reason = `placement: ${err instanceof Error ? err.message : String(err)}`;
      await this.orders.abandonUnpaid(ctx.order.id, { source: 'system', id: 'placement' }, reason.slice(0, 200));
      throw err;
    }
    if (!ctx.payment) throw new Error('placement finished without a payment step');
    return ctx.payment;
  }
}
