import Taro from '@tarojs/taro';
import type {
  CancelReason,
  OrderView,
  QueueResponse,
  StaffLoginResponse,
  StaffView,
  StockListResponse,
  StockUpdateResponse,
  StoreListResponse,
} from 'shared-types';
import { request, STAFF_TOKEN_KEY } from './api';

/** The staff sub-package's API: sign-in, the kitchen queue and its actions, stock (沽清). */

const STAFF_KEY = 'heyi.staff';
const STAFF_STORE_KEY = 'heyi.staff.store';

export async function staffSignIn(username: string, password: string): Promise<StaffView> {
  const { token, staff } = await request<StaffLoginResponse>({
    method: 'POST',
    path: '/api/admin/login',
    body: { username, password },
    auth: 'none',
  });
  Taro.setStorageSync(STAFF_TOKEN_KEY, token);
  Taro.setStorageSync(STAFF_KEY, JSON.stringify(staff));
  return staff;
}

export function staffSignOut(): void {
  Taro.removeStorageSync(STAFF_TOKEN_KEY);
  Taro.removeStorageSync(STAFF_KEY);
  Taro.removeStorageSync(STAFF_STORE_KEY);
}

/** The store the staff member works on now (chosen at sign-in), if any. */
export function currentStoreId(): string {
  const stored: unknown = Taro.getStorageSync(STAFF_STORE_KEY);
  return typeof stored === 'string' ? stored : '';
}

export function setCurrentStore(storeId: string): void {
  Taro.setStorageSync(STAFF_STORE_KEY, storeId);
}

export function staffStores(): Promise<StoreListResponse> {
  return request<StoreListResponse>({ path: '/api/admin/stores', auth: 'staff' });
}

export function getQueue(storeId: string): Promise<QueueResponse> {
  return request<QueueResponse>({ path: `/api/staff/stores/${encodeURIComponent(storeId)}/queue`, auth: 'staff' });
}

export type KitchenAction = 'accept' | 'ready' | 'handover';

export function kitchenAction(orderId: string, action: KitchenAction): Promise<OrderView> {
  return request<OrderView>({
    method: 'POST',
    path: `/api/staff/orders/${encodeURIComponent(orderId)}/${action}`,
    body: {},
    auth: 'staff',
  });
}

export function cancelByStaff(orderId: string, reason: CancelReason): Promise<OrderView> {
  return request<OrderView>({
    method: 'POST',
    path: `/api/staff/orders/${encodeURIComponent(orderId)}/cancel`,
    body: { reason },
    auth: 'staff',
  });
}

export function getStock(storeId: string): Promise<StockListResponse> {
  return request<StockListResponse>({ path: `/api/staff/stores/${encodeURIComponent(storeId)}/stock`, auth: 'staff' });
}

export function setSoldOut(storeId: string, skuCode: string, soldOut: boolean): Promise<StockUpdateResponse> {
  return request<StockUpdateResponse>({
    method: 'PUT',
    path: `/api/staff/stores/${encodeURIComponent(storeId)}/stock/${encodeURIComponent(skuCode)}`,
    body: { soldOut },
    auth: 'staff',
  });
}
