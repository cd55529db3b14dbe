import type { Clock } from '../../lib/clock';
import { parseJsonExact, RawJsonNumber, stringifyJsonExact } from '../../lib/json-exact';
import { badResponse, httpFailure, notConfigured, PlatformError, platformFetch } from '../platform-error';
import { classifyMeituanRefusal } from './open-cater-transport';
import { waimaiopenSig } from './sign';

/** The waimaiopen part of `Config['meituan']`, plus a request timeout. */
export interface WaimaiopenSettings {
  /** e.g. `https://waimaiopen.meituan.com/api/v1`. */
  apiBase: string;
  appId: string | undefined;
  appSecret: string | undefined;
  timeoutMs?: number;
}

/** Params of a call: strings go as is; numbers and booleans as text; objects and arrays as compact JSON; null and undefined are left out. */
export type WaimaiopenParams = Readonly<Record<string, unknown>>;

/**
 * Signed calls to Meituan's legacy waimaiopen API (spec delivery-platforms.md §1.1): `app_id`,
 * `timestamp` (seconds) and the MD5 `sig` over this exact URL. GET carries everything in the query,
 * POST in a form body. Answers `data` (`"ok"` for plain writes); `{"data":"ng","error":…}` becomes a
 * PlatformError. No business logic.
 */
export class WaimaiopenTransport {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: WaimaiopenSettings,
    private readonly clock: Clock,
  ) {
    this.base = settings.apiBase.replace(/\/+$/, '');
    this.timeoutMs = settings.timeoutMs ?? 10_000;
  }

  async call<T = unknown>(method: 'GET' | 'POST', path: string, params: WaimaiopenParams = {}): Promise<T> {
    const { appId, appSecret } = this.settings;
    if (!appId || !appSecret) throw notConfigured('meituan', 'MEITUAN_APP_ID / MEITUAN_APP_SECRET');
    const url = `${this.base}/${path.replace(/^\/+/, '')}`;
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
      const text = paramText(value);
      if (text !== undefined) fields[key] = text;
    }
    fields.app_id = appId;
    fields.timestamp = String(Math.floor(this.clock.now() / 1000));
    // JSON params (food_data, skus) are signed as the exact string sent: both come from `fields`.
    fields.sig = waimaiopenSig(url, fields, appSecret);
    const encoded = new URLSearchParams(fields).toString();
    const res = await platformFetch(
      'meituan',
      method === 'GET' ? `${url}?${encoded}` : url,
      method === 'GET'
        ? { method, headers: { accept: 'application/json' } }
        : {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
            body: encoded,
          },
      this.timeoutMs,
    );
    let answer: { data?: unknown; error?: { code?: unknown; msg?: unknown } } | undefined;
    try {
      answer = parseJsonExact(res.text) as typeof answer;
    } catch {
      // A gateway error page: judge by the HTTP status.
    }
    if (typeof answer !== 'object' || answer === null || !('data' in answer)) {
      if (res.status !== 200) throw httpFailure('meituan', res, this.clock.now());
      throw badResponse('meituan', res, 'not a waimaiopen answer');
    }
    if (answer.data === 'ng') {
      const code = String(answer.error?.code ?? 'ng');
      const msg = typeof answer.error?.msg === 'string' ? answer.error.msg : '';
      throw new PlatformError({
        platform: 'meituan',
        code,
        message: msg || code,
        httpStatus: res.status,
        ...classifyMeituanRefusal(code, msg),
      });
    }
    if (res.status !== 200) throw httpFailure('meituan', res, this.clock.now());
    return answer.data as T;
  }
}

function paramText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof RawJsonNumber) return value.text;
  return stringifyJsonExact(value);
}
