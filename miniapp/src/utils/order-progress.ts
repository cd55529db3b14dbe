import type { OrderStatus, OrderView } from 'shared-types';

/**
 * What the order page tells the diner beside the status, and where the order is on its way
 * (下单 → 接单 → 制作 → 取餐), so 已出餐 says to come and collect, not just a word.
 */

export const PROGRESS_STEPS = ['已下单', '已接单', '制作中', '可取餐'] as const;

const STEP_OF: Partial<Record<OrderStatus, number>> = {
  pending_payment: 0,
  placed: 0,
  accepted: 1,
  preparing: 2,
  ready: 3,
  delivering: 3,
  delivered: 4,
  picked_up: 4,
  served: 4,
  completed: 4,
};

/** The step reached (0–4, 4 = all done), or null when the order left the way (cancelled, refunded). */
export function progressStep(status: OrderStatus): number | null {
  return STEP_OF[status] ?? null;
}

/** The delivery order's last step is 送达, dine-in's 上桌. */
export function stepsFor(order: Pick<OrderView, 'fulfillment'>): string[] {
  if (order.fulfillment === 'delivery') return ['已下单', '已接单', '制作中', '配送中'];
  if (order.fulfillment === 'dine_in') return ['已下单', '已接单', '制作中', '待上桌'];
  return [...PROGRESS_STEPS];
}

/** The sentence under the status: what happens next, or what the diner should do. */
export function statusHint(order: Pick<OrderView, 'status' | 'fulfillment'>): string {
  const pickup = order.fulfillment === 'pickup';
  switch (order.status) {
    case 'pending_payment':
      return '请尽快完成支付，超时订单将自动取消';
    case 'placed':
      return '门店接单前可随时取消订单';
    case 'accepted':
    case 'preparing':
      return pickup ? '正在为您制作，出餐后请凭取餐号到店取餐' : '正在为您制作，请稍候';
    case 'ready':
      if (pickup) return '餐已备好，请凭取餐号到店取餐';
      return order.fulfillment === 'dine_in' ? '餐已备好，马上为您上桌' : '餐已备好，等待骑手取餐';
    case 'delivering':
      return '骑手正在送餐，请保持电话畅通';
    case 'picked_up':
    case 'delivered':
    case 'served':
    case 'completed':
      return '感谢光临，欢迎再次下单';
    case 'cancelled':
      return '订单已取消，已支付的款项将原路退回';
    case 'refunded':
    case 'partially_refunded':
      return '退款将原路退回您的支付账户';
    default:
      return '';
  }
}

/** A map link for the store: Amap's public marker page (opens its app when installed). */
export function mapLink(store: { name: string; lat: number | null; lng: number | null }): string {
  if (store.lat === null || store.lng === null) return '';
  return `https://uri.amap.com/marker?position=${store.lng},${store.lat}&name=${encodeURIComponent(store.name)}&coordinate=gaode&callnative=1`;
}
