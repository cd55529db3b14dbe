import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock';
import { parseJsonExact, stringifyJsonExact } from '../../lib/json-exact';
import { badResponse, httpFailure, notConfigured, PlatformError, platformFetch } from '../platform-error';
import { elemeRequestSignature } from './sign';

/** `Config['eleme']`, plus a request timeout. */
export interface ElemeSettings {
  /** e.g. `https://open-api.shop.ele.me`; calls go to `<apiBase>/api/v1/`, tokens to `<apiBase>/token`. */
  apiBase: string;
  appKey: string | undefined;
  appSecret: string | undefined;
  timeoutMs?: number;
}

export type ElemeParams = Readonly<Record<string, unknown>>;

/**
 * Error codes of the NOP protocol (PHP `RpcClient`): how each is handled. `EXCEED_LIMIT` is a rate
 * limit. `SERVER_ERROR` and `INVALID_TIMESTAMP` (clock skew) can clear by themselves;
 * `INVALID_SIGNATURE` and `UNAUTHORIZED` after a config fix or a token refresh: all retryable.
 * `VALIDATION_FAILED`, `ILLEGAL_REQUEST`, `ACCESS_DENIED`, `PERMISSION_DENIED`,
 * `METHOD_NOT_ALLOWED` and `BIZ_*` refuse the request itself.
 */
const RETRYABLE_CODES = new Set(['SERVER_ERROR', 'INVALID_TIMESTAMP', 'INVALID_SIGNATURE', 'UNAUTHORIZED']);

/**
 * Signed NOP JSON-RPC calls to Ele.me (spec delivery-platforms.md §2.1): one POST per action with
 * `metas` (app key, timestamp in seconds) and `params`, upper-case MD5 `signature`. Answers
 * `result`; an `error` becomes a PlatformError. The access token comes from the caller (see
 * `ElemeOAuth.withToken`); app-level calls (compensation APIs) pass `""`. No business logic.
 */
export class ElemeTransport {
  private readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: ElemeSettings,
    private readonly clock: Clock,
  ) {
    this.endpoint = `${settings.apiBase.replace(/\/+$/, '')}/api/v1/`;
    this.timeoutMs = settings.timeoutMs ?? 10_000;
  }

  async call<T = unknown>(action: string, params: ElemeParams, token: string): Promise<T> {
    const { appKey, appSecret } = this.settings;
    if (!appKey || !appSecret) throw notConfigured('eleme', 'ELEME_APP_KEY / ELEME_APP_SECRET');
    const now = this.clock.now();
    // Seconds: the doc, PHP and Go SDKs agree; Java and Python 1.26 send milliseconds (spec §2.1).
    const metas = { app_key: appKey, timestamp: Math.floor(now / 1000) };
    const request = {
      nop: '1.0.0',
      id: `${randomUUID().replace(/-/g, '').toUpperCase()}|${now}`,
      action,
      token,
      metas,
      // An empty params object must go as `{}`; PHP's empty array would become `[]`.
      params,
      signature: elemeRequestSignature({ action, token, metas, params }, appSecret),
    };
    const res = await platformFetch(
      'eleme',
      this.endpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: stringifyJsonExact(request),
      },
      this.timeoutMs,
    );
    let answer: { result?: unknown; error?: { code?: unknown; message?: unknown } | null } | undefined;
    try {
      answer = parseJsonExact(res.text) as typeof answer;
    } catch {
      // A gateway error page: judge by the HTTP status.
    }
    if (typeof answer !== 'object' || answer === null || !('result' in answer || 'error' in answer)) {
      if (res.status !== 200) throw httpFailure('eleme', res, this.clock.now());
      throw badResponse('eleme', res, 'not a NOP answer');
    }
    if (answer.error) {
      const code = typeof answer.error.code === 'string' ? answer.error.code : 'UNKNOWN';
      throw new PlatformError({
        platform: 'eleme',
        code,
        message: typeof answer.error.message === 'string' ? answer.error.message : code,
        httpStatus: res.status,
        retryable: RETRYABLE_CODES.has(code),
        rateLimited: code === 'EXCEED_LIMIT',
      });
    }
    if (res.status !== 200) throw httpFailure('eleme', res, this.clock.now());
    return answer.result as T;
  }
}

/** Whether Ele.me refused the access token itself, so a fresh token may succeed. */
export function isInvalidToken(err: unknown): boolean {
  return err instanceof PlatformError && err.platform === 'eleme' && err.code === 'UNAUTHORIZED';
}
