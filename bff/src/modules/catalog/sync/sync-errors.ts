/**
 * How the sync worker treats a failed platform call, read from the PlatformError the transports
 * throw (channels/platform-error.ts) by its shape, so this module does not depend on a channel:
 * `rate_limited` (the platform said we call too often: defer without counting a failure),
 * `refused` (the platform said no to this request: retrying the same payload cannot help, so its
 * items fail with the platform's reason), or `retry` (timeout, network, 5xx, system trouble: the
 * outbox worker retries with backoff).
 */
export function failureKind(err: unknown): 'rate_limited' | 'refused' | 'retry' {
  const e = err as { retryable?: unknown; rateLimited?: unknown } | null;
  if (e && e.rateLimited === true) return 'rate_limited';
  if (e && e.retryable === false) return 'refused';
  return 'retry';
}

/** How long the platform asked us to wait, if it said. */
export function retryAfter(err: unknown): number | undefined {
  const ms = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof ms === 'number' ? ms : undefined;
}

export function describeFailure(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
