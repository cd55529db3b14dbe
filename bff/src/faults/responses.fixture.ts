/** One answer the BFF gave to a client in the test process (simulated platform, member, staff). */
export interface SeenResponse {
  method: string;
  path: string;
  status: number;
  retryAfter: string | null;
  /** The error code of a JSON error body, when there is one. */
  code: string | null;
}

/**
 * Watches every answer the BFF processes at `origins` give to any client in this process — the simulators'
 * pushes and payment notifications as much as the test's own requests — by wrapping the global
 * `fetch` they all use (the real fetch still does the work). `stop()` puts the original back.
 */
export function watchResponses(...origins: string[]): { seen: SeenResponse[]; stop(): void } {
  const seen: SeenResponse[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (origins.includes(url.origin)) {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      let code: string | null = null;
      if (res.status >= 400) {
        const text = await res.clone().text();
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          // not our JSON error shape (a platform's own error answer)
        }
      }
      seen.push({ method, path: url.pathname, status: res.status, retryAfter: res.headers.get('retry-after'), code });
    }
    return res;
  };
  return {
    seen,
    stop: () => {
      globalThis.fetch = original;
    },
  };
}
