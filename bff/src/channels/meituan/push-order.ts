import { z } from 'zod';
import type { CatalogLookup } from '../../modules/catalog/pricing/lookup';
import { UnappliablePush } from '../../modules/orders/inbox';
import type { NewOrder } from '../../modules/orders/model';
import { mapPlatformLines } from '../../modules/orders/platform-lines';
import { EARLIEST_ORDER_TIME_S, lineQuantity, NonNegativeYuanAsFen } from '../plausible';
import { YuanAsFen } from '../yuan';

/**
 * Meituan's order payload, on both gateways: the open-cater `order` JSON (camelCase, ids as JSON
 * numbers above 2^53, spec §6b) and the legacy waimaiopen flat form (snake_case, spec §1.3). Both
 * carry `detail` and `extras` as JSON strings with snake_case items.
 */

/** A platform id: digits, however it arrived (an exact-JSON bigint, a string, a small number). */
export const PlatformIdText = z
  .union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((v) => String(v));

const Int = z.union([z.number(), z.string().regex(/^-?\d+$/), z.bigint()]).transform((v) => Number(v));
const Text = z.union([z.string(), z.number(), z.bigint()]).transform((v) => String(v));

const Line = z.object({
  app_food_code: Text.optional(),
  sku_id: Text.optional(),
  food_name: z.string(),
  spec: z.string().optional(),
  quantity: Int.pipe(lineQuantity),
  price: NonNegativeYuanAsFen,
  original_price: NonNegativeYuanAsFen.optional(),
  box_num: z
    .union([z.number(), z.string()])
    .transform(Number)
    .pipe(z.number().min(0).max(100, 'box_num is not a plausible count'))
    .optional(),
  box_price: NonNegativeYuanAsFen.optional(),
  food_property: z.string().optional(),
  mt_sku_id: Text.optional(),
  mt_spu_id: Text.optional(),
});

const Extra = z.object({
  type: Int.optional(),
  reduce_fee: YuanAsFen.optional(),
  mt_charge: YuanAsFen.optional(),
  poi_charge: YuanAsFen.optional(),
  remark: z.string().optional(),
});

const Charge = z.object({ moneyCent: Int.optional() });
const ReceiveDetail = z.object({
  wmPoiReceiveCent: Int.optional(),
  actOrderChargeByMt: z.array(Charge).optional(),
  actOrderChargeByPoi: z.array(Charge).optional(),
});

const MeituanOrder = z.object({
  orderId: PlatformIdText,
  orderIdView: PlatformIdText.optional(),
  ePoiId: z.string().min(1),
  status: Int.optional(),
  ctime: Int.pipe(z.number().min(EARLIEST_ORDER_TIME_S, 'ctime is not a plausible order time')),
  deliveryTime: Int.pipe(z.number().min(0, 'deliveryTime must not be negative')).optional(),
  daySeq: Int.optional(),
  total: NonNegativeYuanAsFen,
  originalPrice: NonNegativeYuanAsFen.optional(),
  shippingFee: NonNegativeYuanAsFen.optional(),
  wmPoiReceiveCent: Int.optional(),
  packageBagMoney: Int.pipe(z.number().min(0, 'packageBagMoney must not be negative')).optional(),
  detail: z.array(Line).min(1),
  extras: z.array(Extra).default([]),
  poiReceiveDetail: ReceiveDetail.optional(),
  recipientName: z.string().optional(),
  recipientPhone: Text.optional(),
  recipientAddress: z.string().optional(),
  latitude: z.union([z.number(), z.string()]).transform(Number).optional(),
  longitude: z.union([z.number(), z.string()]).transform(Number).optional(),
  caution: z.string().optional(),
  pickType: Int.optional(),
  logisticsCode: Text.optional(),
  incmpCode: Int.optional(),
});
export type MeituanOrder = z.infer<typeof MeituanOrder>;

/** camelCase name → its legacy snake_case name, for the fields we read. */
const LEGACY: Record<string, string> = {
  orderId: 'order_id',
  orderIdView: 'wm_order_id_view',
  ePoiId: 'app_poi_code',
  daySeq: 'day_seq',
  deliveryTime: 'delivery_time',
  originalPrice: 'original_price',
  shippingFee: 'shipping_fee',
  packageBagMoney: 'package_bag_money',
  poiReceiveDetail: 'poi_receive_detail',
  recipientName: 'recipient_name',
  recipientPhone: 'recipient_phone',
  recipientAddress: 'recipient_address',
  pickType: 'pick_type',
  logisticsCode: 'logistics_code',
  incmpCode: 'incmp_code',
};
const NESTED_JSON = new Set(['detail', 'extras', 'poiReceiveDetail']);

export class MalformedPush extends UnappliablePush {}

/**
 * Reads an order from either shape. `parseJson` must keep big integers exact (nested JSON strings
 * are parsed with it too). Throws MalformedPush with the first problem.
 */
export function readMeituanOrder(raw: Record<string, unknown>, parseJson: (text: string) => unknown): MeituanOrder {
  const keys = [...Object.keys(MeituanOrder.shape)];
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    let value = raw[key] ?? (LEGACY[key] ? raw[LEGACY[key] as string] : undefined);
    if (value === '' || value === null) value = undefined;
    if (typeof value === 'string' && NESTED_JSON.has(key)) {
      try {
        value = parseJson(value);
      } catch {
        throw new MalformedPush(`${key} is not valid JSON`);
      }
    }
    picked[key] = value;
  }
  const parsed = MeituanOrder.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedPush(`order ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const sum = (values: (number | undefined)[]) => values.reduce<number>((s, v) => s + (v ?? 0), 0);

/** Normalizes a Meituan order to our one order model (DESIGN §3): fen, our SKU codes, who pays which discount. */
export async function meituanNewOrder(
  mt: MeituanOrder,
  ctx: {
    brandId: string;
    storeId: string;
    gateway: 'open-cater' | 'waimaiopen';
    catalog: CatalogLookup;
    /** Whether Meituan's riders deliver this store's orders (when the logistics code is absent). */
    platformDelivers: boolean;
  },
): Promise<NewOrder> {
  const lines = await mapPlatformLines(
    ctx.catalog,
    ctx.brandId,
    ctx.storeId,
    'meituan',
    mt.detail.map((l) => ({
      claimedCode: l.sku_id ?? null,
      productCode: l.app_food_code ?? null,
      platformItemId: l.mt_spu_id ?? l.app_food_code ?? null,
      platformSkuId: l.mt_sku_id ?? null,
      name: l.food_name,
      specText: l.spec ?? '',
      attributes: (l.food_property ?? '')
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
      quantity: l.quantity,
      unitPrice: l.original_price ?? l.price,
      packagingFee: Math.round((l.box_price ?? 0) * (l.box_num ?? 0) * l.quantity),
      boxCount: Math.round((l.box_num ?? 0) * l.quantity),
    })),
  );
  // The settlement detail is in fen and splits discounts by who pays; `extras` (yuan) is the fallback.
  const detail = mt.poiReceiveDetail;
  const discountPlatform = detail?.actOrderChargeByMt
    ? sum(detail.actOrderChargeByMt.map((c) => c.moneyCent))
    : sum(mt.extras.map((e) => e.mt_charge));
  const discountMerchant = detail?.actOrderChargeByPoi
    ? sum(detail.actOrderChargeByPoi.map((c) => c.moneyCent))
    : sum(mt.extras.map((e) => e.poi_charge));
  const pickup = mt.pickType === 1;
  const logistics = mt.logisticsCode ?? null;
  const selfDelivered = logistics === '0000' || (logistics === null && !ctx.platformDelivers);
  const address = mt.recipientAddress?.split('@#')[0]?.trim() ?? '';
  return {
    brandId: ctx.brandId,
    storeId: ctx.storeId,
    channel: 'meituan',
    channelOrderId: mt.orderId,
    displayId: mt.orderIdView && mt.orderIdView !== mt.orderId ? mt.orderIdView : null,
    gateway: ctx.gateway,
    fulfillment: pickup ? 'pickup' : 'delivery',
    deliveryMode: pickup ? null : selfDelivered ? 'self' : 'platform',
    status: 'placed',
    placedAt: mt.ctime * 1000,
    promisedAt: mt.deliveryTime && mt.deliveryTime > 0 ? mt.deliveryTime * 1000 : null,
    payBy: null,
    daySeq: mt.daySeq ?? null,
    memberId: null,
    placementKey: null,
    amounts: {
      items: lines.reduce((s, l) => s + l.lineTotal, 0),
      packaging: lines.reduce((s, l) => s + l.packagingFee, 0) + (mt.packageBagMoney ?? 0),
      deliveryFee: mt.shippingFee ?? 0,
      discountPlatform,
      discountMerchant,
      paid: mt.total,
      merchantIncome: mt.wmPoiReceiveCent ?? detail?.wmPoiReceiveCent ?? null,
    },
    remark: mt.caution ?? '',
    tableNo: null,
    recipient:
      mt.recipientName || mt.recipientPhone || address
        ? {
            name: mt.recipientName ?? '',
            phone: mt.recipientPhone ?? '',
            address,
            lat: Number.isFinite(mt.latitude) ? (mt.latitude as number) : null,
            lng: Number.isFinite(mt.longitude) ? (mt.longitude as number) : null,
          }
        : null,
    logisticsCode: logistics,
    degraded: mt.incmpCode === -1,
    zoneName: null,
    lines,
  };
}
