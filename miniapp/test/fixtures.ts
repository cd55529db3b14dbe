import type { StoreView } from 'shared-types';

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
    ...overrides,
  };
}

/** The BFF's error body for a failed call. */
export function errorBody(code: string, message: string) {
  return { error: { code, message, requestId: 'req-test-1' } };
}
