import { SIMULATOR_DEFAULTS } from 'shared-types';
import { z } from 'zod';
import { ElemeTokens } from './eleme-tokens';
import { FaultBook, type FaultKind, type SimPlatform } from './faults';
import { MeituanBindings } from './meituan-bindings';

/** The credentials the simulators accept; `SIMULATOR_DEFAULTS` unless a test says otherwise. */
export interface SimCredentials {
  meituan: { developerId: string; signKey: string; appId: string; appSecret: string };
  eleme: { appId: string; appKey: string; appSecret: string };
}

export const defaultCredentials = (): SimCredentials => ({
  meituan: { ...SIMULATOR_DEFAULTS.meituan },
  eleme: { ...SIMULATOR_DEFAULTS.eleme },
});

export const SimSettings = z
  .object({
    /**
     * How far a request timestamp may be from the simulator's clock. Neither platform publishes its
     * tolerance (spec delivery-platforms.md §5); ten minutes is the simulator's choice.
     */
    timestampToleranceSeconds: z.number().int().min(1).max(86_400),
    /** Lifetime of an Ele.me access token (short ones let tests watch a refresh). */
    elemeAccessTokenSeconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 86_400),
    elemeRefreshTokenSeconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 86_400),
  })
  .strict();
export type SimSettings = z.infer<typeof SimSettings>;

export const defaultSettings = (): SimSettings => ({
  timestampToleranceSeconds: 600,
  elemeAccessTokenSeconds: 86_400,
  elemeRefreshTokenSeconds: 30 * 86_400,
});

/** One request the simulator received, and what it answered. */
export interface CallRecord {
  seq: number;
  at: number;
  platform: SimPlatform;
  /** The API path (Meituan), action (Ele.me) or `token` (Ele.me OAuth). */
  target: string;
  method: string;
  /** What was sent: form fields (Meituan, with `biz` parsed), the NOP body (Ele.me). */
  params: unknown;
  /** Whether the signature (or, for OAuth, the Basic credentials) checked out; null if never checked. */
  signatureValid: boolean | null;
  status: number;
  answer: unknown;
  fault?: FaultKind;
}

/**
 * Everything a running simulator remembers: the call log, pending faults, Meituan store bindings,
 * Ele.me tokens, and whatever platform API modules keep (`ext`).
 */
export class SimState {
  readonly calls: CallRecord[] = [];
  readonly faults = new FaultBook();
  readonly meituan: MeituanBindings;
  readonly eleme: ElemeTokens;
  settings: SimSettings;
  private readonly extensions = new Map<string, unknown>();
  private seq = 0;

  constructor(
    readonly credentials: SimCredentials,
    settings: Partial<SimSettings>,
    readonly now: () => number,
  ) {
    this.settings = SimSettings.parse({ ...defaultSettings(), ...settings });
    this.meituan = new MeituanBindings(now);
    this.eleme = new ElemeTokens(now, () => ({
      accessSeconds: this.settings.elemeAccessTokenSeconds,
      refreshSeconds: this.settings.elemeRefreshTokenSeconds,
    }));
  }

  record(call: Omit<CallRecord, 'seq' | 'at'>): CallRecord {
    const record = { seq: ++this.seq, at: this.now(), ...call };
    this.calls.push(record);
    return record;
  }

  /** The calls received for a platform (and path/action), oldest first. */
  callsTo(platform: SimPlatform, target?: string): CallRecord[] {
    const wanted = target?.replace(/^\/+/, '');
    return this.calls.filter(
      (c) => c.platform === platform && (wanted === undefined || c.target.replace(/^\/+/, '') === wanted),
    );
  }

  /**
   * State a platform API module keeps in this simulator (menus, stock, orders), created on first
   * use and dropped by `reset`. Key it by module, e.g. `state.ext('meituan.menu', () => new Map())`.
   */
  ext<T>(key: string, create: () => T): T {
    if (!this.extensions.has(key)) this.extensions.set(key, create());
    return this.extensions.get(key) as T;
  }

  /** Forgets calls, faults, bindings, tokens and module state; settings go back to their defaults. */
  reset(settings: Partial<SimSettings> = {}): void {
    this.calls.length = 0;
    this.faults.clear();
    this.meituan.clear();
    this.eleme.clear();
    this.extensions.clear();
    this.settings = SimSettings.parse({ ...defaultSettings(), ...settings });
  }
}
