import { z } from 'zod';

export const HealthResponse = z.object({ status: z.literal('ok') });
/**
 * `ok`: everything answers. `degraded`: still ready (200), but something optional is down (Redis:
 * caches miss to the database, locks are refused, live screens poll). `unavailable` (503): the
 * database does not answer.
 */
export const ReadyResponse = z.object({
  status: z.enum(['ok', 'degraded', 'unavailable']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
});
export type ReadyResponse = z.infer<typeof ReadyResponse>;
