/** The BFF's API on the same origin; the staff token kept in sessionStorage for this tab. */

const TOKEN_KEY = 'heyi-admin-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token: string | null) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

let onSignedOut: () => void = () => undefined;
export function whenSignedOut(fn: () => void) {
  onSignedOut = fn;
}

async function send(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (res.status === 401 && session.token) {
    session.set(null);
    onSignedOut();
  }
  return res;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const res = await send(method, path, body, contentType);
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = parsed?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'HTTP', e.message ?? `HTTP ${res.status}`);
  }
  return parsed as T;
}

export const get = <T = unknown>(path: string) => api<T>('GET', path);

/** Downloads a CSV export with the token (a plain link could not send it). */
export async function download(path: string, filename: string) {
  const res = await send('GET', path);
  if (!res.ok) throw new ApiError(res.status, 'HTTP', `HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

export const yuan = (fen: number | null | undefined) => (fen == null ? '—' : `¥${(fen / 100).toFixed(2)}`);
export const percent = (bp: number | null | undefined) => (bp == null ? '—' : `${(bp / 100).toFixed(1)}%`);

export const CHANNEL_NAMES: Record<string, string> = {
  meituan: '美团',
  eleme: '饿了么',
  miniapp: '小程序',
  dinein: '堂食',
};
export const CHANNELS = ['meituan', 'eleme', 'miniapp', 'dinein'] as const;

export interface Store {
  id: string;
  code: string;
  name: string;
  regionId: string;
  phone: string | null;
  address: string;
  timezone: string;
  businessHours: { days: number[]; open: string; close: string }[];
}
export interface Me {
  staff: { id: string; username: string; displayName?: string; role: string };
}
