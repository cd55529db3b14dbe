import {
  type Channel,
  type DeliveryStatus,
  type Fulfillment,
  ORDER_STATUS_NAMES,
  type OrderStatus,
} from 'shared-types';

/** Chinese words for the model's English names (DESIGN.md §6), one place for every page. */

export const FULFILLMENT_LABEL: Record<Fulfillment, string> = {
  pickup: '自取',
  delivery: '外送',
  dine_in: '堂食',
};

export const CHANNEL_LABEL: Record<Channel, string> = {
  meituan: '美团',
  eleme: '饿了么',
  miniapp: '小程序',
  dinein: '堂食',
};

/** The status as the member reads it. */
export const MEMBER_STATUS_LABEL: Record<OrderStatus, string> = {
  pending_payment: '待支付',
  placed: '已支付，等待商家接单',
  accepted: '商家已接单',
  preparing: '制作中',
  ready: '已出餐',
  delivering: '配送中',
  delivered: '已送达',
  picked_up: '已取餐',
  served: '已上桌',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
  partially_refunded: '部分退款',
};

/** The status as the kitchen reads it. */
export const KITCHEN_STATUS_LABEL: Record<OrderStatus, string> = ORDER_STATUS_NAMES;

export const RIDER_STATUS_LABEL: Record<DeliveryStatus, string> = {
  waiting: '等待骑手接单',
  assigned: '骑手已接单',
  at_store: '骑手已到店',
  picked_up: '骑手已取餐',
  delivered: '已送达',
  cancelled: '配送已取消',
  failed: '配送失败',
};

/** Statuses after which nothing more happens to an order (polling stops). */
export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'refunded', 'partially_refunded'];
