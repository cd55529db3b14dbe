import type { MemberMenuProduct, MemberMenuResponse, OrderView, QuoteResponse, StoreView } from 'shared-types';

let seq = 0;

/** A store as GET /api/mp/stores returns it; override what the test is about. */
export function storeView(overrides: Partial<StoreView> = {}): StoreView {
  seq += 1;
  return {
    id: `01JD0000000000000000000${String(seq).padStart(3, '0')}`,
    code: `SH${String(seq).padStart(3, '0')}`,
    name: `合一小馆（测试${seq}店）`,
    address: '上海市黄浦区南京东路 1 号',
    phone: null,
    regionId: '01JD00000000000000000REG01',
    timezone: 'Asia/Shanghai',
    lat: 31.2304,
    lng: 121.4737,
    businessHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '22:00' }],
    distanceM: null,
    openNow: true,
    nextOpenAt: null,
    preorderDays: 0,
    ...overrides,
  };
}

/** The BFF's error body for a failed call. */
export function errorBody(code: string, message: string) {
  return { error: { code, message, requestId: 'req-test-1' } };
}

/** A dish like the demo's 红烧牛肉面: two sizes, a required 辣度 (exactly 1) and 加料 (0–3). */
export function noodleProduct(overrides: Partial<MemberMenuProduct> = {}): MemberMenuProduct {
  return {
    code: 'N001',
    name: '红烧牛肉面',
    description: '慢炖四小时的牛腱',
    imageUrl: null,
    tags: [],
    unit: '份',
    available: true,
    availability: null,
    specGroups: [{ name: '份量', options: ['大碗', '小碗'] }],
    skus: [
      { code: 'N001-L', specText: '大碗', options: ['大碗'], price: 3200, packagingFee: 100, soldOut: false },
      { code: 'N001-S', specText: '小碗', options: ['小碗'], price: 2800, packagingFee: 100, soldOut: false },
    ],
    addonGroups: [
      {
        code: 'SPICY',
        name: '辣度',
        minChoices: 1,
        maxChoices: 1,
        options: [
          { code: 'SPICY-0', name: '不辣', price: 0 },
          { code: 'SPICY-1', name: '微辣', price: 0 },
          { code: 'SPICY-3', name: '特辣', price: 0 },
        ],
      },
      {
        code: 'NOODLE-EXTRA',
        name: '加料',
        minChoices: 0,
        maxChoices: 3,
        options: [
          { code: 'ADD-BEEF', name: '加牛肉', price: 800 },
          { code: 'ADD-EGG', name: '加卤蛋', price: 200 },
          { code: 'ADD-NOODLE', name: '加面', price: 300 },
          { code: 'ADD-GREENS', name: '加青菜', price: 200 },
        ],
      },
    ],
    ...overrides,
  };
}

/** A dish with nothing to choose (one SKU, no add-ons). */
export function simpleProduct(overrides: Partial<MemberMenuProduct> = {}): MemberMenuProduct {
  return {
    code: 'S005',
    name: '卤蛋',
    description: '',
    imageUrl: null,
    tags: [],
    unit: '个',
    available: true,
    availability: null,
    specGroups: [],
    skus: [{ code: 'S005', specText: '', options: [], price: 300, packagingFee: 0, soldOut: false }],
    addonGroups: [],
    ...overrides,
  };
}

export function menuResponse(products: MemberMenuProduct[]): MemberMenuResponse {
  return {
    storeId: '01KDVDNA00CF74YKMY8DVE2C1V',
    channel: 'miniapp',
    version: 'v1',
    generatedAt: 0,
    categories: [{ code: 'NOODLES', name: '招牌面', products }],
  };
}

export function quoteResponse(overrides: Partial<QuoteResponse> = {}): QuoteResponse {
  return {
    storeId: '01KDVDNA00CF74YKMY8DVE2C1V',
    fulfillment: 'pickup',
    lines: [
      {
        skuCode: 'N001-S',
        name: '红烧牛肉面',
        specText: '小碗',
        quantity: 2,
        unitPrice: 2800,
        addons: [{ code: 'SPICY-1', name: '微辣', price: 0 }],
        packagingFee: 200,
        lineTotal: 5600,
      },
    ],
    amounts: { items: 5600, packaging: 200, deliveryFee: 0, discount: 0, total: 5800 },
    promisedAt: '2026-11-30T04:30:00.000Z',
    tableNo: null,
    deliveryZone: null,
    ...overrides,
  };
}

let orderSeq = 0;

/** An order as GET /api/mp/orders/:id or the staff queue answer it. */
export function orderView(overrides: Partial<OrderView> = {}): OrderView {
  orderSeq += 1;
  const id = `01M8PM0000000000000000${String(orderSeq).padStart(4, '0')}`;
  return {
    id,
    storeId: '01KDVDNA00CF74YKMY8DVE2C1V',
    channel: 'miniapp',
    channelOrderId: id,
    displayId: null,
    daySeq: orderSeq,
    businessDate: '2026-11-30',
    fulfillment: 'pickup',
    deliveryMode: null,
    status: 'placed',
    placedAt: '2026-11-30T04:00:00.000Z',
    promisedAt: '2026-11-30T04:20:00.000Z',
    payBy: '2026-11-30T04:15:00.000Z',
    remark: '',
    tableNo: null,
    recipient: null,
    store: {
      name: '合一小馆（人民广场店）',
      address: '上海市黄浦区西藏中路 268 号',
      phone: '021-6350 0001',
      lat: 31.2335,
      lng: 121.4747,
      timezone: 'Asia/Shanghai',
    },
    amounts: {
      items: 3000,
      packaging: 100,
      deliveryFee: 0,
      discountPlatform: 0,
      discountMerchant: 0,
      paid: 3100,
      merchantIncome: null,
    },
    lines: [
      {
        id: `${id.slice(0, -1)}L`,
        lineNo: 1,
        skuCode: 'N001-S',
        name: '红烧牛肉面',
        specText: '小碗',
        addons: [
          { code: 'SPICY-1', name: '微辣', price: 0 },
          { code: 'ADD-EGG', name: '加卤蛋', price: 200 },
        ],
        quantity: 1,
        unitPrice: 2800,
        packagingFee: 100,
        lineTotal: 3000,
        unmapped: false,
        stockShort: false,
        platformSkuId: null,
      },
    ],
    delivery: null,
    flags: {
      unmappedLines: false,
      stockShort: false,
      shortages: [],
      overloaded: false,
      degraded: false,
      syncFailed: false,
    },
    refund: null,
    cancelReason: null,
    events: [],
    ...overrides,
  };
}

/** What Taro.request resolves with. */
export function respond(statusCode: number, data: unknown) {
  return { statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' } as never;
}
