import { z } from 'zod';
import { localToEpoch } from '../../lib/local-time';
import type { CatalogLookup } from '../../modules/catalog/pricing/lookup';
import { UnappliablePush } from '../../modules/orders/inbox';
import type { NewOrder } from '../../modules/orders/model';
import { mapPlatformLines } from '../../modules/orders/platform-lines';
import { lineQuantity, NonNegativeYuanAsFen } from '../plausible';
import { YuanAsFen } from '../yuan';

/**
 * Ele.me pushes (spec delivery-platforms.md §2.2–2.3): one JSON envelope for every message type,
 * the message itself a JSON string. Order ids and user ids exceed 2^53; both layers are parsed
 * with exact integers.
 */

export class MalformedElemePush extends UnappliablePush {}

const Id = z
  .union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((v) => String(v));
const Text = z.union([z.string(), z.number(), z.bigint()]).transform((v) => String(v));
const Int = z.union([z.number(), z.string().regex(/^-?\d+$/), z.bigint()]).transform((v) => Number(v));
const NameValue = z.object({ name: z.string().optional(), value: Text.optional() });

/** The push envelope. `type` is an int, sometimes sent as a string; `userId` a big number or a string. */
export const ElemeEnvelope = z.object({
  requestId: Text,
  type: Int,
  appId: Text,
  shopId: Id,
  message: z.string(),
  timestamp: Int,
  userId: Text.optional(),
  signature: z.string().min(1),
});
export type ElemeEnvelope = z.infer<typeof ElemeEnvelope>;

const Item = z.object({
  // Items of the `extra` basket (餐盒) carry negative ids: read them as text, map only `normal` ones.
  id: Text.optional(),
  skuId: Text.optional(),
  name: z.string(),
  price: YuanAsFen,
  quantity: Int,
  newSpecs: z.array(NameValue).nullish(),
  attributes: z.array(NameValue).nullish(),
  extendCode: z.string().nullish(),
});

/** Ele.me's local times, `2026-03-10T11:30:00` (no zone: the shop's). */
const LocalTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?/, 'not a yyyy-MM-ddTHH:mm:ss time');

const Group = z.object({ name: z.string().optional(), type: z.string().optional(), items: z.array(Item) });

/** The dishes (the `normal` baskets): what the kitchen makes and the stock pool counts. */
const dishesOf = (groups: z.infer<typeof Group>[]) =>
  groups.filter((g) => (g.type ?? 'normal') === 'normal').flatMap((g) => g.items);

const OOrder = z.object({
  id: Id,
  shopId: Id,
  daySn: Int.nullish(),
  createdAt: LocalTime,
  deliverTime: LocalTime.nullish(),
  groups: z.array(Group).superRefine((groups, ctx) => {
    // Only dishes are held to plausible quantities and prices: discount baskets carry negative prices.
    dishesOf(groups).forEach((item, i) => {
      const quantity = lineQuantity.safeParse(item.quantity);
      const problems = [
        quantity.success ? null : { field: 'quantity', message: quantity.error.issues[0]?.message ?? 'invalid' },
        item.price < 0 ? { field: 'price', message: 'price must not be negative' } : null,
      ];
      for (const p of problems) {
        if (p) ctx.addIssue({ code: 'custom', path: ['dish', i, p.field], message: p.message });
      }
    });
  }),
  totalPrice: NonNegativeYuanAsFen,
  originalPrice: NonNegativeYuanAsFen.nullish(),
  deliverFee: NonNegativeYuanAsFen.nullish(),
  packageFee: NonNegativeYuanAsFen.nullish(),
  income: YuanAsFen.nullish(),
  shopPart: YuanAsFen.nullish(),
  elemePart: YuanAsFen.nullish(),
  consignee: z.string().nullish(),
  phoneList: z.array(Text).nullish(),
  address: z.string().nullish(),
  deliveryGeo: z.string().nullish(),
  description: z.string().nullish(),
  downgraded: z.boolean().nullish(),
});
export type ElemeOrder = z.infer<typeof OOrder>;

const EventMessage = z.object({
  orderId: Id,
  shopId: Id.nullish(),
  state: Text.nullish(),
  reason: z.string().nullish(),
  refundType: z.string().nullish(),
  /** Refund messages: the money refunded (yuan on the wire). */
  totalPrice: YuanAsFen.nullish(),
  name: z.string().nullish(),
  phone: Text.nullish(),
  updateTime: Int.nullish(),
  updateAt: Int.nullish(),
});
export type EventMessage = z.infer<typeof EventMessage>;

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MalformedElemePush(`${what} ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** The message's own JSON (order ids kept exact), checked far enough to apply it. */
export function readElemeMessage(type: number, message: string, parseJson: (text: string) => unknown) {
  let value: unknown;
  try {
    value = parseJson(message);
  } catch {
    throw new MalformedElemePush('message is not valid JSON');
  }
  if (type === 10) return { order: parseWith(OOrder, value, 'order'), event: null };
  if (HANDLED.has(type)) return { order: null, event: parseWith(EventMessage, value, 'message') };
  return { order: null, event: null };
}

/** The order id a message is about (pushes of one order apply in arrival order). */
export function orderKeyOf(read: ReturnType<typeof readElemeMessage>): string | null {
  return read.order?.id ?? read.event?.orderId ?? null;
}

export const CANCELLED = new Set([14, 15, 17]);
export const CANCEL_FLOW: Record<number, 'requested' | 'cancelled' | 'rejected' | 'agreed' | null> = {
  20: 'requested',
  21: 'cancelled',
  22: 'rejected',
  23: 'agreed',
  24: null,
  25: null,
  26: null,
};
export const REFUND_FLOW: Record<number, 'requested' | 'cancelled' | 'rejected' | 'agreed' | null> = {
  30: 'requested',
  31: 'cancelled',
  32: 'rejected',
  33: 'agreed',
  34: null,
  35: 'agreed',
  36: 'rejected',
};

/** Ele.me delivery message types → the rider's state on our timeline. */
export function riderStatusOf(type: number) {
  if (type === 51 || type === 52) return 'waiting' as const;
  if (type === 53) return 'assigned' as const;
  if (type === 54) return 'at_store' as const;
  if (type === 55) return 'picked_up' as const;
  if (type === 56) return 'delivered' as const;
  if (type >= 57 && type <= 59) return 'cancelled' as const;
  if ((type >= 60 && type <= 70) || (type >= 72 && type <= 76)) return 'failed' as const;
  return null;
}

const HANDLED = new Set([
  12,
  18,
  45,
  ...CANCELLED,
  ...Object.keys(CANCEL_FLOW).map(Number),
  ...Object.keys(REFUND_FLOW).map(Number),
  ...Array.from({ length: 26 }, (_, i) => 51 + i),
]);

/** Normalizes an Ele.me order (OOrder) to our one order model. */
export async function elemeNewOrder(
  o: ElemeOrder,
  ctx: { brandId: string; storeId: string; timeZone: string; catalog: CatalogLookup; platformDelivers: boolean },
): Promise<NewOrder> {
  const items = dishesOf(o.groups);
  const lines = await mapPlatformLines(
    ctx.catalog,
    ctx.brandId,
    ctx.storeId,
    'eleme',
    items.map((i) => ({
      claimedCode: i.extendCode ?? null,
      platformItemId: i.id ?? null,
      platformSkuId: i.skuId ?? null,
      name: i.name.split('-')[0] ?? i.name,
      specText: (i.newSpecs ?? [])
        .map((s) => s.value ?? '')
        .filter(Boolean)
        .join('/'),
      attributes: (i.attributes ?? []).map((a) => a.value ?? a.name ?? '').filter(Boolean),
      quantity: i.quantity,
      unitPrice: i.price,
      packagingFee: 0,
      boxCount: 0,
    })),
  );
  const [lng, lat] = (o.deliveryGeo ?? '').split(',').map(Number);
  const local = (text: string) => {
    const [date, time = '00:00:00'] = text.split('T');
    const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
    return localToEpoch(date as string, h * 60 + m, ctx.timeZone) + s * 1000;
  };
  return {
    brandId: ctx.brandId,
    storeId: ctx.storeId,
    channel: 'eleme',
    channelOrderId: o.id,
    displayId: null,
    gateway: null,
    fulfillment: 'delivery',
    deliveryMode: ctx.platformDelivers ? 'platform' : 'self',
    status: 'placed',
    placedAt: local(o.createdAt),
    promisedAt: o.deliverTime ? local(o.deliverTime) : null,
    payBy: null,
    daySeq: o.daySn ?? null,
    memberId: null,
    placementKey: null,
    amounts: {
      items: lines.reduce((s, l) => s + l.lineTotal, 0),
      packaging: o.packageFee ?? 0,
      deliveryFee: o.deliverFee ?? 0,
      // Ele.me reports the parts of the discount each side pays as negative amounts.
      discountPlatform: Math.abs(o.elemePart ?? 0),
      discountMerchant: Math.abs(o.shopPart ?? 0),
      paid: o.totalPrice,
      merchantIncome: o.income ?? null,
    },
    remark: o.description ?? '',
    tableNo: null,
    recipient:
      o.consignee || o.address
        ? {
            name: o.consignee ?? '',
            phone: o.phoneList?.[0] ?? '',
            address: o.address ?? '',
            lat: Number.isFinite(lat) ? (lat as number) : null,
            lng: Number.isFinite(lng) ? (lng as number) : null,
          }
        : null,
    logisticsCode: null,
    degraded: o.downgraded === true,
    zoneName: null,
    lines,
  };
}
