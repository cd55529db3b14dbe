import { z } from 'zod';

/** The simulated platforms, as named in faults and the call log. */
export const SimPlatform = z.enum(['meituan-open-cater', 'meituan-waimaiopen', 'eleme', 'eleme-oauth']);
export type SimPlatform = z.infer<typeof SimPlatform>;

/**
 * - `rate-limit`: the platform's over-frequency answer (HTTP 200, its error envelope);
 * - `validation`: the platform refuses the request's content;
 * - `server-error`: a gateway 502 page instead of the platform's JSON;
 * - `timeout`: the answer is held for `delayMs` (longer than the client waits), then the call is
 *   handled as usual: like a real timeout, the client cannot know whether it took effect.
 */
export const FaultKind = z.enum(['rate-limit', 'validation', 'server-error', 'timeout']);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultSpec = z
  .object({
    platform: SimPlatform,
    /** Only calls to this path (Meituan, e.g. `/waimai/order/confirm` or `order/confirm`) or action (Ele.me); all when absent. */
    target: z.string().min(1).optional(),
    kind: FaultKind,
    /** How many of the next matching calls fail; default 1. */
    count: z.number().int().min(1).max(100_000).default(1),
    /** For `timeout`: how long the answer is held; default 30 s. */
    delayMs: z.number().int().min(0).max(600_000).default(30_000),
  })
  .strict();
export type FaultSpec = z.input<typeof FaultSpec>;

export interface Fault {
  id: number;
  platform: SimPlatform;
  target: string | undefined;
  kind: FaultKind;
  remaining: number;
  delayMs: number;
}

/** Faults waiting for the next matching calls, oldest first. */
export class FaultBook {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const parsed = FaultSpec.parse(spec);
    const fault: Fault = {
      id: this.nextId++,
      platform: parsed.platform,
      target: parsed.target === undefined ? undefined : normalizeTarget(parsed.target),
      kind: parsed.kind,
      remaining: parsed.count,
      delayMs: parsed.delayMs,
    };
    this.faults.push(fault);
    return fault;
  }

  /** The fault the next call to `platform`/`target` meets, if any; one of its `count` is used up. */
  take(platform: SimPlatform, target: string): Fault | undefined {
    const normalized = normalizeTarget(target);
    const fault = this.faults.find(
      (f) => f.platform === platform && (f.target === undefined || f.target === normalized),
    );
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

/** Paths match with or without their leading slash (`order/confirm` = `/order/confirm`). */
const normalizeTarget = (target: string) => target.replace(/^\/+/, '');
