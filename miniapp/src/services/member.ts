import Taro from '@tarojs/taro';
import type {
  CheckoutRequest,
  DineInTableView,
  MemberLoginResponse,
  MemberMenuResponse,
  MemberOrderList,
  OrderView,
  PlaceOrderResponse,
  QuoteResponse,
  RequestPaymentParams,
} from 'shared-types';
import { ApiError, type RequestOptions, request, storedToken, TOKEN_KEY } from './api';
import { loginCode } from './wechat';

/**
 * The member's API: sign-in (a WeChat login code exchanged for our token, kept in storage), and
 * every `/api/mp/*` call that needs it, signing in again once when the token is refused (401).
 */

let signingIn: Promise<string> | null = null;

/** Signs in with a fresh login code and stores the token. Concurrent callers share one sign-in. */
export function signIn(): Promise<string> {
  signingIn ??= (async () => {
    try {
      const code = await loginCode();
      const { token } = await request<MemberLoginResponse>({
        method: 'POST',
        path: '/api/mp/auth/login',
        body: { code },
        auth: 'none',
      });
      Taro.setStorageSync(TOKEN_KEY, token);
      return token;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('WECHAT_LOGIN_FAILED', 0, '微信登录失败，请重试');
    } finally {
      signingIn = null;
    }
  })();
  return signingIn;
}

/** A member call: signs in first when there is no token, and once more on a 401. */
export async function memberRequest<T>(options: RequestOptions): Promise<T> {
  if (!storedToken(TOKEN_KEY)) await signIn();
  try {
    return await request<T>({ ...options, auth: 'member' });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    Taro.removeStorageSync(TOKEN_KEY);
    await signIn();
    return request<T>({ ...options, auth: 'member' });
  }
}

export function getMenu(storeId: string, channel: 'miniapp' | 'dinein' = 'miniapp'): Promise<MemberMenuResponse> {
  return memberRequest<MemberMenuResponse>({
    path: `/api/mp/stores/${encodeURIComponent(storeId)}/menu`,
    query: { channel },
  });
}

export function quote(body: CheckoutRequest): Promise<QuoteResponse> {
  return memberRequest<QuoteResponse>({ method: 'POST', path: '/api/mp/orders/quote', body });
}

/** Places an order; the same `idempotencyKey` on a retry answers the first result. */
export function placeOrder(body: CheckoutRequest, idempotencyKey: string): Promise<PlaceOrderResponse> {
  return memberRequest<PlaceOrderResponse>({
    method: 'POST',
    path: '/api/mp/orders',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export function getOrder(orderId: string): Promise<OrderView> {
  return memberRequest<OrderView>({ path: `/api/mp/orders/${encodeURIComponent(orderId)}` });
}

/** The member's recent orders (the BFF answers the latest 50, newest first). */
export function listMyOrders(): Promise<MemberOrderList> {
  return memberRequest<MemberOrderList>({ path: '/api/mp/orders' });
}

/** Fresh `wx.requestPayment` parameters for an unpaid order. */
export function repay(orderId: string): Promise<RequestPaymentParams> {
  return memberRequest<RequestPaymentParams>({
    method: 'POST',
    path: `/api/mp/orders/${encodeURIComponent(orderId)}/payment`,
    body: {},
  });
}

export function cancelOrder(orderId: string): Promise<OrderView> {
  return memberRequest<OrderView>({
    method: 'POST',
    path: `/api/mp/orders/${encodeURIComponent(orderId)}/cancel`,
    body: {},
  });
}

/** The store and table of a scanned table code (public). */
export function resolveTable(code: string): Promise<DineInTableView> {
  return request<DineInTableView>({ path: `/api/mp/dinein/tables/${encodeURIComponent(code)}`, auth: 'none' });
}
