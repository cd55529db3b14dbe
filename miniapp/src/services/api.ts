import Taro from '@tarojs/taro';
// Types only: a runtime import from the shared-types root would bundle zod into the mini-program.
import type { ErrorBody, StoreListResponse } from 'shared-types';

/** Storage key of the member's bearer token (written by the login flow). */
export const TOKEN_KEY = 'heyi.token';
/** Storage key of the staff member's bearer token (the staff sub-package's sign-in). */
export const STAFF_TOKEN_KEY = 'heyi.staff.token';

/** A failed API call: `code` is the BFF's stable error code, `status` the HTTP status (0 = no response). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;

  constructor(code: string, status: number, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }
}

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** Whose bearer token goes with the call: the member's (default), the staff member's, or none. */
  auth?: 'member' | 'staff' | 'none';
  /** Extra headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

function withQuery(path: string, query: Query | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

function isErrorBody(data: unknown): data is ErrorBody {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

export function storedToken(key: string = TOKEN_KEY): string {
  try {
    const token: unknown = Taro.getStorageSync(key);
    return typeof token === 'string' ? token : '';
  } catch {
    return '';
  }
}

/** The one place that talks HTTP to the BFF. Resolves with the JSON body of a 2xx, throws ApiError otherwise. */
export async function request<T>({
  method = 'GET',
  path,
  query,
  body,
  auth = 'member',
  headers,
}: RequestOptions): Promise<T> {
  const header: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) header['Content-Type'] = 'application/json';
  const token = auth === 'none' ? '' : storedToken(auth === 'staff' ? STAFF_TOKEN_KEY : TOKEN_KEY);
  if (token) header.Authorization = `Bearer ${token}`;

  // The body is untrusted until the status says which shape it has.
  let res: Taro.request.SuccessCallbackResult<string | ArrayBuffer | Record<string, unknown>>;
  try {
    res = await Taro.request({
      url: API_BASE + withQuery(path, query),
      method,
      header,
      // Both wx.request and Taro H5 serialize an object body as JSON when Content-Type says so.
      data: body,
      dataType: 'json',
    });
  } catch {
    // wx.request fails (rather than resolving) only when no HTTP response arrived at all; its
    // errMsg ("request:fail …") is not for members' eyes.
    throw new ApiError('NETWORK_ERROR', 0, '网络连接失败，请检查网络后重试');
  }

  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
  if (isErrorBody(res.data)) {
    const { code, message, requestId } = res.data.error;
    throw new ApiError(code, res.statusCode, message, requestId);
  }
  throw new ApiError(`HTTP_${res.statusCode}`, res.statusCode, `服务暂时不可用（${res.statusCode}）`);
}

/** Stores for members; nearest first when a point is given. */
export function listStores(point?: { lat: number; lng: number }): Promise<StoreListResponse> {
  return request<StoreListResponse>({ path: '/api/mp/stores', query: { lat: point?.lat, lng: point?.lng } });
}
