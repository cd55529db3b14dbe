import type { Channel, DeliveryMode, EventSource, Fulfillment, OrderFlags, OrderStatus } from 'shared-types';

/** An order line as every channel hands it to `orders`: prices in fen, our SKU code or a flag. */
export interface NewOrderLine {
  skuCode: string | null;
  platformItemId: string | null;
  platformSkuId: string | null;
  name: string;
  specText: string;
  addons: { code: string | null; name: string; price: number }[];
  quantity: number;
  /** One unit before add-ons. */
  unitPrice: number;
  /** Add-ons of one unit. */
  addonsPrice: number;
  /** Packaging of the whole line. */
  packagingFee: number;
  boxCount: number;
  /** (unitPrice + addonsPrice) × quantity. */
  lineTotal: number;
  /** The platform line did not map to one of our SKUs: kept and shown, not counted in stock. */
  unmapped: boolean;
}

/** A normalized order from any channel: the one model of DESIGN §3. */
export interface NewOrder {
  brandId: string;
  storeId: string;
  channel: Channel;
  /** The platform's order id; null for own channels, whose orders are known by our own id. */
  channelOrderId: string | null;
  displayId: string | null;
  gateway: string | null;
  fulfillment: Fulfillment;
  deliveryMode: DeliveryMode | null;
  /** `placed` for platform orders; `pending_payment` for own channels until paid. */
  status: Extract<OrderStatus, 'placed' | 'pending_payment'>;
  placedAt: number;
  promisedAt: number | null;
  payBy: number | null;
  /** The platform's 流水号; own channels get theirs from the store's counter (null here). */
  daySeq: number | null;
  memberId: string | null;
  placementKey: string | null;
  amounts: {
    items: number;
    packaging: number;
    deliveryFee: number;
    discountPlatform: number;
    discountMerchant: number;
    paid: number;
    merchantIncome: number | null;
  };
  remark: string;
  tableNo: string | null;
  recipient: { name: string; phone: string; address: string; lat: number | null; lng: number | null } | null;
  logisticsCode: string | null;
  degraded: boolean;
  /** The zone a self-delivery order was routed to. */
  zoneName: string | null;
  lines: NewOrderLine[];
}

export const EMPTY_FLAGS: OrderFlags = {
  unmappedLines: false,
  stockShort: false,
  shortages: [],
  overloaded: false,
  degraded: false,
  syncFailed: false,
};

export function parseFlags(json: string): OrderFlags {
  try {
    return { ...EMPTY_FLAGS, ...(JSON.parse(json) as Partial<OrderFlags>) };
  } catch {
    return { ...EMPTY_FLAGS };
  }
}

/** Who caused a change, recorded on its order_event row. */
export interface Actor {
  source: EventSource;
  /** Staff id, push inbox id, or the job's name. */
  id: string | null;
}

export const SYSTEM = (job: string): Actor => ({ source: 'system', id: job });
