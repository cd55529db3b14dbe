import { z } from 'zod';
import { YuanAsFen } from '../yuan';
import { MalformedPush, PlatformIdText } from './push-order';

/** The push URLs we register at Meituan, one per type: `/webhooks/meituan/<type>`. */
export const MEITUAN_PUSH_TYPES = [
  'new-order',
  'confirmed',
  'completed',
  'cancel',
  'refund',
  'refund-status',
  'logistics',
] as const;
export type MeituanPushType = (typeof MEITUAN_PUSH_TYPES)[number];

/** Which JSON field carries each type's payload on the open-cater classic envelope (spec §4a). */
export const PAYLOAD_FIELD: Record<MeituanPushType, string> = {
  'new-order': 'order',
  confirmed: 'order',
  completed: 'order',
  cancel: 'orderCancel',
  refund: 'orderRefund',
  'refund-status': 'orderRefund',
  logistics: 'shippingStatus',
};

const Text = z.union([z.string(), z.number(), z.bigint()]).transform((v) => String(v));
const Int = z.union([z.number(), z.string().regex(/^-?\d+$/), z.bigint()]).transform((v) => Number(v));

/** Reads `camel` or its legacy snake_case twin from a payload. */
function pick(p: Record<string, unknown>, camel: string, snake: string): unknown {
  const v = p[camel] ?? p[snake];
  return v === '' || v === null ? undefined : v;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MalformedPush(`${what} ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

export interface MeituanCancel {
  orderId: string;
  reasonCode: string | null;
  reason: string | null;
}

export function readCancel(p: Record<string, unknown>): MeituanCancel {
  return parse(
    z.object({ orderId: PlatformIdText, reasonCode: Text.nullable(), reason: z.string().nullable() }),
    {
      orderId: pick(p, 'orderId', 'order_id'),
      reasonCode: pick(p, 'reasonCode', 'reason_code') ?? null,
      reason: pick(p, 'reason', 'reason') ?? null,
    },
    'orderCancel',
  );
}

export type RefundNotify = 'apply' | 'agree' | 'reject' | 'cancelRefund' | 'cancelRefundComplaint';

export interface MeituanRefund {
  orderId: string;
  notifyType: RefundNotify;
  refundId: string | null;
  reason: string | null;
  /** A partial refund carries the money (fen) and the refunded food. */
  partial: boolean;
  money: number | null;
  ctime: number | null;
}

export function readRefund(p: Record<string, unknown>): MeituanRefund {
  const money = pick(p, 'money', 'money');
  return parse(
    z.object({
      orderId: PlatformIdText,
      notifyType: z.enum(['apply', 'agree', 'reject', 'cancelRefund', 'cancelRefundComplaint']),
      refundId: Text.nullable(),
      reason: z.string().nullable(),
      partial: z.boolean(),
      money: YuanAsFen.nullable(),
      ctime: Int.nullable(),
    }),
    {
      orderId: pick(p, 'orderId', 'order_id'),
      notifyType: pick(p, 'notifyType', 'notify_type'),
      refundId: pick(p, 'refundId', 'refund_id') ?? null,
      reason: pick(p, 'reason', 'reason') ?? null,
      partial: money !== undefined || pick(p, 'food', 'food') !== undefined,
      money: money ?? null,
      ctime: pick(p, 'ctime', 'ctime') ?? null,
    },
    'orderRefund',
  );
}

export interface MeituanRefundStatus {
  orderId: string;
  /** 3/4 full refund succeeded/failed; 13/14 partial. */
  refundStatus: number;
  money: number | null;
}

export function readRefundStatus(p: Record<string, unknown>): MeituanRefundStatus {
  return parse(
    z.object({ orderId: PlatformIdText, refundStatus: Int, money: YuanAsFen.nullable() }),
    {
      orderId: pick(p, 'orderId', 'order_id'),
      refundStatus: pick(p, 'refundStatus', 'refund_status'),
      money: pick(p, 'money', 'money') ?? null,
    },
    'refund status',
  );
}

export interface MeituanShipping {
  orderId: string;
  /** 0 sent, 5 waiting for a rider, 10 assigned, 15 at the store, 20 picked up, 40 delivered, 100 cancelled. */
  status: number;
  /** Seconds, when given. */
  time: number | null;
  riderName: string | null;
  riderPhone: string | null;
}

export function readShipping(p: Record<string, unknown>): MeituanShipping {
  return parse(
    z.object({
      orderId: PlatformIdText,
      status: Int,
      time: Int.nullable(),
      riderName: z.string().nullable(),
      riderPhone: Text.nullable(),
    }),
    {
      orderId: pick(p, 'orderId', 'order_id'),
      status: p.shippingStatus ?? p.logistics_status ?? p.logisticsStatus,
      time: pick(p, 'time', 'time') ?? pick(p, 'updateTime', 'utime') ?? null,
      riderName: pick(p, 'dispatcherName', 'dispatcher_name') ?? null,
      riderPhone: pick(p, 'dispatcherMobile', 'dispatcher_mobile') ?? null,
    },
    'shippingStatus',
  );
}

/** Meituan's logistics status → the rider's state on our timeline. */
export function riderStatusOf(code: number) {
  if (code === 0 || code === 5) return 'waiting' as const;
  if (code === 10) return 'assigned' as const;
  if (code === 15) return 'at_store' as const;
  if (code === 20) return 'picked_up' as const;
  if (code === 40) return 'delivered' as const;
  if (code === 100) return 'cancelled' as const;
  return null;
}
