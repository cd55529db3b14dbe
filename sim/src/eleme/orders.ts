import { fenToYuan } from 'shared-types/money';
import { stringifyJsonExact } from '../json';
import { type ElemeCall, registerEleme, SimError } from '../registry';
import type { SimState } from '../state';

/**
 * Ele.me orders as the platform pushes them (OOrder, spec delivery-platforms.md §2.3: string ids of
 * 18–19 digits, yuan amounts, local `yyyy-MM-ddTHH:mm:ss` times, `extendCode` = our SKU code), what
 * the simulator keeps of each, the merchant's "Lite" order actions, and the compensation channel
 * (`eleme.msgNew.getPushFailMsg` / `confirmPullMsg`) that hands back pushes we failed to take.
 */

export interface SimElemeLine {
  /** Our SKU code, carried as `extendCode`; anything else makes an unmapped line. */
  extendCode: string;
  name: string;
  spec: string;
  quantity: number;
  /** fen */
  price: number;
  attributes?: string[];
}

export interface SimElemeOrder {
  /** 18–19 digits, as text. */
  id: string;
  shopId: string;
  openId: string;
  daySn: number;
  /** epoch ms */
  createdAt: number;
  lines: SimElemeLine[];
  deliverFee: number;
  packageFee: number;
  shopPart: number;
  elemePart: number;
  consignee: string;
  phone: string;
  address: string;
  description: string;
  userId: string;
}

export const DEFAULT_ELEME_LINES: SimElemeLine[] = [
  { extendCode: 'R001-R', name: '宫保鸡丁饭', spec: '标准', quantity: 1, price: 2970, attributes: ['微辣'] },
  { extendCode: 'T002', name: '双皮奶', spec: '', quantity: 1, price: 1320 },
];

let sequence = 0;

/** A fresh Ele.me order id: 19 digits, above 2^53. */
export function nextElemeOrderId(): string {
  sequence += 1;
  return (3_061_234_567_890_123_456n + BigInt(Date.now() % 1_000_000_000) * 1000n + BigInt(sequence)).toString();
}

export function makeElemeOrder(over: Partial<SimElemeOrder> & { shopId: string; openId: string }): SimElemeOrder {
  return {
    id: nextElemeOrderId(),
    daySn: 1,
    createdAt: Date.now(),
    lines: DEFAULT_ELEME_LINES,
    deliverFee: 400,
    packageFee: 200,
    shopPart: 300,
    elemePart: 500,
    consignee: '陈女士',
    phone: '13800138000,1234',
    address: '静安寺地铁站1号口',
    description: '多加醋 [需要餐具]',
    userId: '1152921504606846976',
    ...over,
  };
}

const yuan = (fen: number) => Number(fenToYuan(fen));

/** Beijing time as Ele.me writes it: `2026-03-10T11:30:00`, no zone. */
function local(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
}

export function elemeTotals(o: SimElemeOrder) {
  const items = o.lines.reduce((s, l) => s + l.price * l.quantity, 0);
  const original = items + o.packageFee + o.deliverFee;
  const total = original - o.shopPart - o.elemePart;
  const serviceFee = Math.round((items - o.shopPart) * 0.2);
  const income = items + o.packageFee - o.shopPart - serviceFee;
  return { items, original, total, serviceFee, income };
}

/** The OOrder JSON of a type-10 push. */
export function oOrderJson(o: SimElemeOrder): string {
  const t = elemeTotals(o);
  return stringifyJsonExact({
    id: o.id,
    orderId: o.id,
    shopId: Number(o.shopId),
    openId: o.openId,
    daySn: o.daySn,
    status: 'unprocessed',
    refundStatus: 'noRefund',
    createdAt: local(o.createdAt),
    activeAt: local(o.createdAt),
    deliverTime: null,
    book: false,
    groups: [
      {
        name: '1号篮子',
        type: 'normal',
        items: o.lines.map((l, i) => ({
          id: 2_000_000_000 + i,
          skuId: 3_000_000_000 + i,
          vfoodId: 4_000_000_000 + i,
          name: `${l.name}${l.spec ? `-${l.spec}` : ''}${l.attributes?.length ? `[${l.attributes.join('+')}]` : ''}`,
          price: yuan(l.price),
          quantity: l.quantity,
          total: yuan(l.price * l.quantity),
          userPrice: yuan(l.price),
          shopPrice: yuan(l.price),
          newSpecs: l.spec ? [{ name: '规格', value: l.spec }] : [],
          attributes: (l.attributes ?? []).map((value) => ({ name: '口味', value })),
          additions: [],
          extendCode: l.extendCode,
          barCode: '',
          weight: 0,
        })),
      },
      {
        name: '其它费用',
        type: 'extra',
        items: [
          { id: -70000, skuId: -1, name: '餐盒', price: yuan(o.packageFee), quantity: 1, total: yuan(o.packageFee) },
        ],
      },
    ],
    originalPrice: yuan(t.original),
    totalPrice: yuan(t.total),
    deliverFee: yuan(o.deliverFee),
    packageFee: yuan(o.packageFee),
    income: yuan(t.income),
    serviceFee: -yuan(t.serviceFee),
    hongbao: 0,
    activityTotal: -yuan(o.shopPart + o.elemePart),
    shopPart: -yuan(o.shopPart),
    elemePart: -yuan(o.elemePart),
    orderActivities: [],
    consignee: o.consignee,
    phoneList: [o.phone],
    secretPhoneExpireTime: local(o.createdAt + 3 * 3600_000),
    address: o.address,
    deliveryPoiAddress: o.address,
    deliveryGeo: '121.4453,31.2236',
    description: o.description,
    invoiced: false,
    invoice: null,
    taxpayerId: '',
    downgraded: false,
    userId: o.userId,
  });
}

// ── the simulator's memory of orders and failed pushes ──

export interface SimElemeRecord {
  order: SimElemeOrder;
  status: 'unprocessed' | 'valid' | 'invalid' | 'settled';
  prepared: boolean;
  refund: 'applied' | 'agreed' | 'rejected' | null;
  ops: { action: string; at: number; params: Record<string, unknown> }[];
}

export function elemeOrderBook(state: SimState): Map<string, SimElemeRecord> {
  return state.ext('eleme.orders', () => new Map<string, SimElemeRecord>());
}

export function rememberElemeOrder(state: SimState, order: SimElemeOrder): SimElemeRecord {
  const book = elemeOrderBook(state);
  const known = book.get(order.id);
  if (known) return known;
  const record: SimElemeRecord = { order, status: 'unprocessed', prepared: false, refund: null, ops: [] };
  book.set(order.id, record);
  return record;
}

/** Pushes that did not get `{"message":"ok"}`: what the compensation pull hands back until confirmed. */
export interface FailedPush {
  msgId: string;
  type: number;
  /** The push body exactly as it was sent. */
  content: string;
}

export function failedPushes(state: SimState): FailedPush[] {
  return state.ext('eleme.pushFail', () => [] as FailedPush[]);
}

/** The message types the compensation channel covers (dianj 21308). */
export const COMPENSATED_TYPES = new Set([10, 12, 14, 15, 17, 217, 218]);

function orderIdOf(call: ElemeCall): string {
  const id = call.params.orderId;
  // Ele.me order ids are strings: a number would sign differently and lose digits.
  if (typeof id !== 'string' || !/^\d{10,30}$/.test(id)) throw new SimError('VALIDATION_FAILED', 'orderId必须为字符串');
  return id;
}

function act(action: string, apply: (r: SimElemeRecord, call: ElemeCall) => void) {
  registerEleme(action, (call, { state }) => {
    const record = elemeOrderBook(state).get(orderIdOf(call));
    if (!record) throw new SimError('BIZ_ORDER_NOT_EXIST', '订单不存在');
    apply(record, call);
    record.ops.push({ action, at: state.now(), params: call.params });
    return null;
  });
}

const refuse = (why: string) => {
  throw new SimError('BIZ_ORDER_STATUS_ERROR', `订单状态不允许: ${why}`);
};

act('eleme.order.confirmOrderLite', (r) => {
  if (r.status === 'invalid') refuse('订单已取消');
  r.status = 'valid';
});
act('eleme.order.setOrderPrepared', (r) => {
  if (r.status !== 'valid') refuse('订单未接单');
  r.prepared = true;
});
act('eleme.order.cancelOrderLite', (r, call) => {
  const types = [
    'others',
    'fakeOrder',
    'contactUserFailed',
    'foodSoldOut',
    'restaurantClosed',
    'distanceTooFar',
    'restaurantTooBusy',
    'forceRejectOrder',
    'deliveryFault',
    'notSatisfiedDeliveryRequirement',
  ];
  if (!types.includes(String(call.params.type))) throw new SimError('VALIDATION_FAILED', 'type不合法');
  r.status = 'invalid';
});
act('eleme.order.agreeRefundLite', (r) => {
  if (r.refund !== 'applied' && r.refund !== 'agreed') refuse('没有退单申请');
  r.refund = 'agreed';
});
act('eleme.order.disagreeRefundLite', (r) => {
  if (r.refund !== 'applied' && r.refund !== 'rejected') refuse('没有退单申请');
  r.refund = 'rejected';
});
act('eleme.order.startDeliveryBySelf', (r) => {
  if (r.status !== 'valid') refuse('订单未接单');
});
act('eleme.order.completeDeliveryBySelf', (r) => {
  if (r.status !== 'valid') refuse('订单未接单');
  r.status = 'settled';
});

/**
 * The compensation pull. Its request and answer fields are not in our spec (dianj 21308 names the
 * APIs only), so the simulator defines them and the BFF follows: `msgQueryRequest {appId,
 * pageSize}` → `{total, msgList: [{msgId, type, content}]}` where `content` is the push body as it
 * was sent; `msgConfirmRequest {appId, msgIds}` → `true`.
 */
registerEleme(
  'eleme.msgNew.getPushFailMsg',
  (call, { state }) => {
    const q = (call.params.msgQueryRequest ?? {}) as { appId?: unknown; pageSize?: unknown };
    if (String(q.appId) !== state.credentials.eleme.appId) throw new SimError('VALIDATION_FAILED', 'appId不匹配');
    const size = Math.min(Math.max(Number(q.pageSize) || 20, 1), 200);
    const list = failedPushes(state);
    return { total: list.length, msgList: list.slice(0, size).map((m) => ({ ...m })) };
  },
  { appLevel: true },
);

registerEleme(
  'eleme.msgNew.confirmPullMsg',
  (call, { state }) => {
    const q = (call.params.msgConfirmRequest ?? {}) as { appId?: unknown; msgIds?: unknown };
    if (String(q.appId) !== state.credentials.eleme.appId) throw new SimError('VALIDATION_FAILED', 'appId不匹配');
    const ids = new Set(Array.isArray(q.msgIds) ? q.msgIds.map(String) : []);
    const list = failedPushes(state);
    const keep = list.filter((m) => !ids.has(m.msgId));
    list.splice(0, list.length, ...keep);
    return true;
  },
  { appLevel: true },
);
