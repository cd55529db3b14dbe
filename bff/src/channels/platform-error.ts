import { AbandonDelivery, DeferDelivery } from '../sync/worker';

export type PlatformName = 'meituan' | 'eleme' | 'wechat' | 'wechatpay';

export interface PlatformErrorInit {
  platform: PlatformName;
  /** The platform's own code (`EXCEED_LIMIT`, `OP_…`, a waimaiopen number as text) or ours: `TIMEOUT`, `NETWORK`, `HTTP_503`, `BAD_RESPONSE`, `NOT_CONFIGURED`. */
  code: string;
  message: string;
  httpStatus?: number;
  traceId?: string;
  /** Trying the same call again later may succeed (timeouts, 5xx, network, platform busy). */
  retryable: boolean;
  /** The platform refused because we called too often: wait, without counting a failure. */
  rateLimited?: boolean;
  /** How long the platform asked us to wait, when it said. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A failed call to a platform, classified once by its transport so callers never parse platform
 * error bodies themselves. `retryable: false` means the platform refused the request itself
 * (validation, a business rule): sending it again cannot help.
 */
export class PlatformError extends Error {
  readonly platform: PlatformName;
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly traceId: string | undefined;
  readonly retryable: boolean;
  readonly rateLimited: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: PlatformErrorInit) {
    super(
      `${init.platform} ${init.code}: ${init.message}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'PlatformError';
    this.platform = init.platform;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.traceId = init.traceId;
    this.rateLimited = init.rateLimited ?? false;
    this.retryable = init.retryable || this.rateLimited;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Default pause after a rate-limit refusal that did not say how long to wait. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 2_000;

/**
 * What the outbox worker should do with a failed delivery: a rate limit becomes `DeferDelivery`
 * (try later, no failure counted), a refusal `AbandonDelivery` (dead-letter now), and anything
 * retryable (timeouts, 5xx, network, platform busy) is rethrown as is, for the worker's plain
 * retry with backoff. Errors that are not PlatformErrors pass through unchanged.
 *
 *   try { await client.confirm(order) } catch (err) { throw toDeliveryFailure(err) }
 */
export function toDeliveryFailure(err: unknown, options: { rateLimitDelayMs?: number } = {}): unknown {
  if (!(err instanceof PlatformError)) return err;
  if (err.rateLimited) {
    return new DeferDelivery(err.retryAfterMs ?? options.rateLimitDelayMs ?? DEFAULT_RATE_LIMIT_DELAY_MS, err.message);
  }
  if (!err.retryable) return new AbandonDelivery(err.message, { cause: err });
  return err;
}

/** HTTP statuses worth retrying: timeouts, rate limits and server-side failures. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `now`. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface PlatformResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One HTTP exchange with a platform, with a timeout. A timeout, a refused connection or a reset
 * becomes a retryable PlatformError (TIMEOUT / NETWORK); any HTTP answer is returned for the
 * transport to read in the platform's own terms. The timeout covers reading the body too.
 */
export async function platformFetch(
  platform: PlatformName,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<PlatformResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    if (signal.aborted) {
      throw new PlatformError({
        platform,
        code: 'TIMEOUT',
        message: `no answer within ${timeoutMs} ms`,
        retryable: true,
        cause: err,
      });
    }
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new PlatformError({ platform, code: 'NETWORK', message: reason, retryable: true, cause: err });
  }
}

/** An HTTP status the platform's envelope could not explain (a gateway 502 page, a 404). */
export function httpFailure(platform: PlatformName, res: PlatformResponse, now: number): PlatformError {
  return new PlatformError({
    platform,
    code: `HTTP_${res.status}`,
    message: res.text.slice(0, 200) || `HTTP ${res.status}`,
    httpStatus: res.status,
    retryable: retryableStatus(res.status),
    rateLimited: res.status === 429,
    retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now),
  });
}

/** An answer that is not the platform's JSON envelope. Retryable: proxies and half-deployed gateways do this. */
export function badResponse(platform: PlatformName, res: PlatformResponse, why: string): PlatformError {
  return new PlatformError({
    platform,
    code: 'BAD_RESPONSE',
    message: `${why}: ${res.text.slice(0, 200)}`,
    httpStatus: res.status,
    retryable: true,
  });
}

/** A call made without the credentials it needs. Retryable: the fix is configuration, after which queued work should go out. */
export function notConfigured(platform: PlatformName, what: string): PlatformError {
  return new PlatformError({ platform, code: 'NOT_CONFIGURED', message: `${what} is not configured`, retryable: true });
}
