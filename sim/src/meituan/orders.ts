import { fenToYuan } from 'shared-types/money';
import { jsonNumber, stringifyJsonExact } from '../json';
import { type OpenCaterCall, registerOpenCater, registerWaimaiopen, SimError } from '../registry';
import type { SimState } from '../state';

/**
 * Meituan order payloads as the platform pushes them, on both gateways: the open-cater `order`
 * JSON (spec meituan-open-cater.md §6b, from a cooperation-centre capture: ids as bare JSON numbers
 * above 2^53, money in yuan with fen detail in `poiReceiveDetail`, `detail`/`extras` as JSON
 * strings with snake_case lines) and the legacy waimaiopen flat form (delivery-platforms.md §1.3).
 */

export interface SimOrderLine {
  /** Our SKU code (Meituan `sku_id`), or anything else to make an unmapped line. */
  skuCode: string;
  /** Our product code (`app_food_code`). */
  productCode: string;
  name: string;
  spec: string;
  quantity: number;
  /** Unit price in fen before discounts. */
  price: number;
  boxNum: number;
  /** Per box, fen. */
  boxPrice: number;
  property?: string;
}

export interface SimMeituanOrder {
  /** Digits above 2^53, as text. */
  orderId: string;
  orderIdView: string;
  ePoiId: string;
  daySeq: number;
  /** Unix seconds. */
  ctime: number;
  lines: SimOrderLine[];
  shippingFee: number;
  /** Discount paid by Meituan / by the merchant, fen. */
  mtCharge: number;
  poiCharge: number;
  caution: string;
  recipientName: string;
  recipientPhone: string;
  recipientAddress: string;
  latitude: number;
  longitude: number;
  /** 0000 self-delivery, 1001 Meituan 专送 … */
  logisticsCode: string;
  pickType: 0 | 1;
}

export const DEFAULT_LINES: SimOrderLine[] = [
  {
    skuCode: 'N001-L',
    productCode: 'N001',
    name: '红烧牛肉面',
    spec: '大碗',
    quantity: 1,
    price: 3520,
    boxNum: 1,
    boxPrice: 100,
    property: '微辣',
  },
  { skuCode: 'D003', productCode: 'D003', name: '冰豆奶', spec: '', quantity: 2, price: 660, boxNum: 0, boxPrice: 0 },
];

let sequence = 0;

/** A fresh Meituan order id: 19 digits, far above 2^53 (9007199254740992). */
export function nextMeituanOrderId(): string {
  sequence += 1;
  const random = BigInt(Math.floor(Math.random() * 1_000_000));
  return (
    5_301_890_193_521_352_344n +
    BigInt(Date.now() % 1_000_000_000) * 1_000_000n +
    random * 13n +
    BigInt(sequence)
  ).toString();
}

export function makeMeituanOrder(over: Partial<SimMeituanOrder> & { ePoiId: string }): SimMeituanOrder {
  const orderId = over.orderId ?? nextMeituanOrderId();
  return {
    orderId,
    orderIdView: over.orderIdView ?? (BigInt(orderId) + 1_000n).toString(),
    daySeq: 1,
    ctime: Math.floor(Date.now() / 1000),
    lines: DEFAULT_LINES,
    shippingFee: 500,
    mtCharge: 300,
    poiCharge: 200,
    caution: '不要辣 【如需餐具，请商家提供】 收餐人隐私号 18449039731_7333，手机号 155****1234',
    recipientName: '王(先生)',
    recipientPhone: '18449039731_7333',
    recipientAddress: '人民广场地铁站2号口 (人民大道120号)@#上海市黄浦区人民大道120号',
    latitude: 31.232117,
    longitude: 121.475523,
    logisticsCode: '1001',
    pickType: 0,
    ...over,
  };
}

const yuan = (fen: number) => Number(fenToYuan(fen));

export function orderTotals(o: SimMeituanOrder) {
  const items = o.lines.reduce((s, l) => s + l.price * l.quantity, 0);
  const boxes = o.lines.reduce((s, l) => s + l.boxNum * l.boxPrice * l.quantity, 0);
  const total = items + boxes + o.shippingFee - o.mtCharge - o.poiCharge;
  const commission = Math.round((items - o.poiCharge) * 0.18);
  const income = items + boxes - o.poiCharge - commission;
  return { items, boxes, total, commission, income };
}

function detailJson(o: SimMeituanOrder): string {
  return stringifyJsonExact(
    o.lines.map((l, i) => ({
      app_food_code: l.productCode,
      box_num: l.boxNum,
      box_price: yuan(l.boxPrice),
      cart_id: 0,
      food_discount: 1,
      food_name: l.name,
      food_property: l.property ?? '',
      price: yuan(l.price),
      quantity: l.quantity,
      sku_id: l.skuCode,
      spec: l.spec,
      unit: '份',
      original_price: yuan(l.price),
      actual_price: yuan(l.price),
      detail_id: jsonNumber((BigInt(o.orderId) % 10_000_000_000n) * 10n + BigInt(i)),
      mt_sku_id: jsonNumber(8_100_000_000 + i),
      mt_spu_id: jsonNumber(7_100_000_000 + i),
      mt_tag_id: jsonNumber(6_100_000),
      weight: 0,
      sub_detail_list: [],
    })),
  );
}

function extrasJson(o: SimMeituanOrder): string {
  const discounts = o.mtCharge + o.poiCharge;
  if (discounts === 0) return '[]';
  return stringifyJsonExact([
    {
      act_detail_id: jsonNumber(1_300_000_001),
      type: 2,
      reduce_fee: yuan(discounts),
      mt_charge: yuan(o.mtCharge),
      poi_charge: yuan(o.poiCharge),
      remark: `满30减${yuan(discounts)}`,
    },
  ]);
}

function receiveDetail(o: SimMeituanOrder, camel: boolean): string {
  const t = orderTotals(o);
  return stringifyJsonExact({
    wmPoiReceiveCent: t.income,
    onlinePayment: t.total,
    logisticsFee: o.shippingFee,
    foodShareFeeChargeByPoi: t.commission,
    actOrderChargeByMt: o.mtCharge
      ? [{ comment: '活动款', feeTypeDesc: '活动款', feeTypeId: 10019, moneyCent: o.mtCharge }]
      : [],
    actOrderChargeByPoi: o.poiCharge
      ? [{ comment: '活动款', feeTypeDesc: '活动款', feeTypeId: 10019, moneyCent: o.poiCharge }]
      : [],
    reconciliationExtras: stringifyJsonExact({
      chargeMode: 2,
      technicalServiceFee: camel ? t.commission : t.commission,
    }),
  });
}

/** The open-cater `order` JSON: camelCase, ids as bare numbers above 2^53. */
export function openCaterOrderJson(o: SimMeituanOrder, status = 2): string {
  const t = orderTotals(o);
  return stringifyJsonExact({
    avgSendTime: 2100,
    backupRecipientPhone: stringifyJsonExact(['18449039731_9912']),
    caution: o.caution,
    cityId: jsonNumber(310100),
    ctime: o.ctime,
    daySeq: String(o.daySeq),
    deliveryTime: 0,
    detail: detailJson(o),
    dinnersNumber: 1,
    ePoiId: o.ePoiId,
    extras: extrasJson(o),
    hasInvoiced: 0,
    incmpCode: 0,
    incmpModules: [],
    invoiceTitle: '',
    isPoiFirstOrder: false,
    latitude: o.latitude,
    logisticsCode: o.logisticsCode,
    longitude: o.longitude,
    orderId: jsonNumber(o.orderId),
    orderIdView: jsonNumber(o.orderIdView),
    orderTagList: [],
    originalPrice: yuan(t.items + t.boxes + o.shippingFee),
    payType: 2,
    pickType: o.pickType,
    poiAddress: '上海市黄浦区南京西路 123 号',
    poiId: jsonNumber(20_881_234),
    poiName: '合一小馆（人民广场店）',
    poiPhone: '021-63500001',
    poiReceiveDetail: receiveDetail(o, true),
    recipientAddress: o.recipientAddress,
    recipientAddressDesensitization: '人民广场地铁站2号口 (人民大道***号)',
    recipientName: o.recipientName,
    recipientPhone: o.recipientPhone,
    shippingFee: yuan(o.shippingFee),
    status,
    taxpayerId: '',
    total: yuan(t.total),
    utime: o.ctime,
    wmPoiReceiveCent: t.income,
  });
}

/** The legacy waimaiopen order: flat snake_case fields, values as the raw (signed) text. */
export function waimaiopenOrderFields(o: SimMeituanOrder, status = 2): Record<string, string> {
  const t = orderTotals(o);
  return {
    order_id: o.orderId,
    wm_order_id_view: o.orderIdView,
    app_poi_code: o.ePoiId,
    wm_poi_name: '合一小馆（人民广场店）',
    wm_poi_address: '上海市黄浦区南京西路 123 号',
    wm_poi_phone: '021-63500001',
    status: String(status),
    ctime: String(o.ctime),
    utime: String(o.ctime),
    delivery_time: '0',
    day_seq: String(o.daySeq),
    total: String(yuan(t.total)),
    original_price: String(yuan(t.items + t.boxes + o.shippingFee)),
    shipping_fee: String(yuan(o.shippingFee)),
    package_bag_money: '0',
    detail: detailJson(o),
    extras: extrasJson(o),
    poi_receive_detail: receiveDetail(o, false),
    recipient_name: o.recipientName,
    recipient_address: o.recipientAddress,
    recipient_phone: o.recipientPhone,
    backup_recipient_phone: stringifyJsonExact(['18449039731_9912']),
    latitude: String(o.latitude),
    longitude: String(o.longitude),
    caution: o.caution,
    pick_type: String(o.pickType),
    dinners_number: '1',
    logistics_code: o.logisticsCode,
    invoice_title: '',
    incmp_code: '0',
    is_third_shipping: '0',
    avg_send_time: '2100',
  };
}

// ── the order APIs: what Meituan keeps of each order, and the merchant's calls on it ──

/** Meituan's order status: 2 pushed to the merchant, 4 confirmed, 8 completed, 9 cancelled. */
export interface SimOrderRecord {
  order: SimMeituanOrder;
  status: number;
  mealReady: boolean;
  delivering: { courierName: string; courierPhone: string } | null;
  refund: 'applied' | 'agreed' | 'rejected' | null;
  /** Every merchant call on the order, in arrival order. */
  ops: { op: string; gateway: 'open-cater' | 'waimaiopen'; at: number; detail?: Record<string, unknown> }[];
}

/** The orders a simulator has pushed (and so knows), by order id. */
export function meituanOrderBook(state: SimState): Map<string, SimOrderRecord> {
  return state.ext('meituan.orders', () => new Map<string, SimOrderRecord>());
}

export function rememberMeituanOrder(state: SimState, order: SimMeituanOrder): SimOrderRecord {
  const book = meituanOrderBook(state);
  const known = book.get(order.orderId);
  if (known) return known;
  const record: SimOrderRecord = { order, status: 2, mealReady: false, delivering: null, refund: null, ops: [] };
  book.set(order.orderId, record);
  return record;
}

const PARAM = 'OP_PARAM_INVALID';

/** open-cater: the SDK declares `orderId` a Long here, so it must be a bare JSON number. */
function longOrderId(call: OpenCaterCall): string {
  const match = /"orderId":(\d+)[,}]/.exec(call.rawBiz ?? '');
  if (!match) throw new SimError(PARAM, '参数错误: orderId必须为Long型数字');
  return match[1] as string;
}

/** open-cater: `preparationMealComplete` and `agreeRefund` declare `orderId` a String. */
function stringOrderId(call: OpenCaterCall): string {
  const match = /"orderId":"(\d+)"/.exec(call.rawBiz ?? '');
  if (!match) throw new SimError(PARAM, '参数错误: orderId必须为字符串');
  return match[1] as string;
}

type Op = 'confirm' | 'ready' | 'cancel' | 'agreeRefund' | 'rejectRefund' | 'delivering' | 'delivered';

/** Applies a merchant call to a known order, with Meituan's order-state rules. */
function operate(
  state: SimState,
  gateway: 'open-cater' | 'waimaiopen',
  orderId: string,
  op: Op,
  detail: Record<string, unknown>,
  ePoiId?: string,
): string {
  const record = meituanOrderBook(state).get(orderId);
  if (!record || (ePoiId !== undefined && record.order.ePoiId !== ePoiId)) {
    throw new SimError(gateway === 'open-cater' ? 'OP_ORDER_NOT_FOUND' : 808, '订单不存在');
  }
  const refuse = (why: string) => {
    throw new SimError(gateway === 'open-cater' ? 'OP_ORDER_STATUS_INVALID' : 806, `订单状态不允许该操作: ${why}`);
  };
  if (record.status === 9 && op !== 'cancel') refuse('订单已取消');
  switch (op) {
    case 'confirm':
      if (record.status === 2) record.status = 4;
      break;
    case 'ready':
      if (record.status !== 4) refuse('订单未确认');
      record.mealReady = true;
      break;
    case 'cancel':
      record.status = 9;
      break;
    case 'agreeRefund':
      if (record.refund !== 'applied' && record.refund !== 'agreed') refuse('没有待处理的退款');
      record.refund = 'agreed';
      break;
    case 'rejectRefund':
      if (record.refund !== 'applied' && record.refund !== 'rejected') refuse('没有待处理的退款');
      record.refund = 'rejected';
      break;
    case 'delivering':
      if (record.status !== 4) refuse('订单未确认');
      record.delivering = {
        courierName: String(detail.courierName ?? ''),
        courierPhone: String(detail.courierPhone ?? ''),
      };
      break;
    case 'delivered':
      if (!record.delivering) refuse('订单未配送');
      record.status = 8;
      break;
  }
  record.ops.push({ op, gateway, at: state.now(), detail });
  return 'ok';
}

const cater = (path: string, op: Op, id: (call: OpenCaterCall) => string) =>
  registerOpenCater(path, (call, { state }) => {
    const { orderId: _o, ...detail } = call.biz ?? {};
    return operate(state, 'open-cater', id(call), op, detail, call.ePoiId);
  });

cater('/waimai/order/confirm', 'confirm', longOrderId);
cater('/waimai/order/preparationMealComplete', 'ready', stringOrderId);
cater('/waimai/order/cancel', 'cancel', longOrderId);
cater('/waimai/order/agreeRefund', 'agreeRefund', stringOrderId);
cater('/waimai/order/rejectRefund', 'rejectRefund', longOrderId);
cater('/waimai/order/delivering', 'delivering', longOrderId);
cater('/waimai/order/delivered', 'delivered', longOrderId);

const legacy = (path: string, op: Op) =>
  registerWaimaiopen(path, (call, { state }) => {
    const orderId = call.params.order_id;
    if (!orderId || !/^\d+$/.test(orderId)) throw new SimError(701, 'order_id不合法');
    const detail: Record<string, unknown> = {};
    for (const key of ['reason', 'reason_code', 'courier_name', 'courier_phone']) {
      if (call.params[key] !== undefined) detail[key] = call.params[key];
    }
    if (op === 'delivering')
      Object.assign(detail, { courierName: detail.courier_name, courierPhone: detail.courier_phone });
    return operate(state, 'waimaiopen', orderId, op, detail);
  });

legacy('order/confirm', 'confirm');
legacy('order/preparationMealComplete', 'ready');
legacy('order/cancel', 'cancel');
legacy('order/refund/agree', 'agreeRefund');
legacy('order/refund/reject', 'rejectRefund');
legacy('order/delivering', 'delivering');
legacy('order/arrived', 'delivered');
