import type { Clock } from '../../lib/clock';
import { parseJsonExact, stringifyJsonExact } from '../../lib/json-exact';
import { badResponse, httpFailure, notConfigured, PlatformError, platformFetch } from '../platform-error';
import { openCaterSign } from './sign';

/** The open-cater part of `Config['meituan']`, plus a request timeout. */
export interface OpenCaterSettings {
  apiBase: string;
  developerId: string | undefined;
  signKey: string | undefined;
  businessId: string;
  timeoutMs?: number;
}

/** Business fields of a call. Meituan `Long` ids go in as `jsonNumber(id)`, never as JS numbers. */
export type Biz = Readonly<Record<string, unknown>>;

/**
 * Signed calls to Meituan's open-cater gateway (spec meituan-open-cater.md §2): a form POST of the
 * system params plus `biz`, success iff `code === "OP_SUCCESS"`, answering `data`. No business
 * logic: what to send and what the data means belong to the channel clients.
 */
export class OpenCaterTransport {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: OpenCaterSettings,
    private readonly clock: Clock,
  ) {
    this.base = settings.apiBase.replace(/\/+$/, '');
    this.timeoutMs = settings.timeoutMs ?? 10_000;
  }

  /**
   * Calls `path` (e.g. `/waimai/order/confirm`) for the store whose `appAuthToken` is given
   * (undefined for developer-level APIs). Throws PlatformError on any failure.
   */
  async call<T = unknown>(path: string, biz: Biz | undefined, appAuthToken: string | undefined): Promise<T> {
    const { developerId, signKey, businessId } = this.settings;
    if (!developerId || !signKey) throw notConfigured('meituan', 'MEITUAN_DEVELOPER_ID / MEITUAN_SIGN_KEY');
    const params: Record<string, string> = {
      developerId,
      businessId,
      charset: 'UTF-8',
      version: '2',
      timestamp: String(Math.floor(this.clock.now() / 1000)),
    };
    if (appAuthToken) params.appAuthToken = appAuthToken;
    // Gson omits null fields, and a request without fields sends no `biz` at all (queryCatList).
    const bizText = biz === undefined ? '{}' : stringifyJsonExact(biz, { omitNull: true });
    if (bizText !== '{}') params.biz = bizText;
    params.sign = openCaterSign(signKey, params);

    const res = await platformFetch(
      'meituan',
      this.base + (path.startsWith('/') ? path : `/${path}`),
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        body: new URLSearchParams(params).toString(),
      },
      this.timeoutMs,
    );
    // The SDK treats every status but 200 as a failure, before looking at the body.
    if (res.status !== 200) throw httpFailure('meituan', res, this.clock.now());
    let envelope: { code?: unknown; msg?: unknown; traceId?: unknown; data?: unknown };
    try {
      envelope = parseJsonExact(res.text) as typeof envelope;
    } catch {
      throw badResponse('meituan', res, 'not JSON');
    }
    if (typeof envelope !== 'object' || envelope === null || typeof envelope.code !== 'string') {
      throw badResponse('meituan', res, 'no code in the answer');
    }
    if (envelope.code === 'OP_SUCCESS') return envelope.data as T;
    const msg = typeof envelope.msg === 'string' ? envelope.msg : '';
    throw new PlatformError({
      platform: 'meituan',
      code: envelope.code,
      message: msg || envelope.code,
      httpStatus: res.status,
      traceId: typeof envelope.traceId === 'string' ? envelope.traceId : undefined,
      ...classifyMeituanRefusal(envelope.code, msg),
    });
  }
}

/**
 * Meituan publishes no error-code list for either gateway (spec §2, §7), so a refusal is read by
 * its code and message. Over-frequency answers become rate limits; system trouble, timestamp skew
 * and credential or binding problems stay retryable (they can clear, by themselves or by a config
 * fix or a re-bind, and the queued call should then go out); anything else is taken as a refusal of
 * the request itself. Shared by both Meituan gateways.
 */
export function classifyMeituanRefusal(code: string, msg: string): { retryable: boolean; rateLimited: boolean } {
  const rateLimited =
    /LIMIT|FREQ|QPS|THROTTL/i.test(code) || /频率|频繁|限流|超限|次数.*上限|too many|rate limit/i.test(msg);
  const transient =
    /SYSTEM|BUSY|TIMEOUT|UNAVAILABLE|INTERNAL|TIMESTAMP/i.test(code) ||
    /系统|繁忙|超时|稍后|时间戳|timeout|busy/i.test(msg);
  const credentials =
    /SIGN|TOKEN|AUTH|DEVELOPER|APP_?ID/i.test(code) || /签名|授权|绑定|token|app_id|开发者/i.test(msg);
  return { rateLimited, retryable: rateLimited || transient || credentials };
}
