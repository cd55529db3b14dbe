import { randomBytes } from 'node:crypto';

export interface MeituanBinding {
  /** Our store code. */
  ePoiId: string;
  appAuthToken: string;
  /** Meituan's own store id, as the bind callback reports it. */
  poiId: string;
  boundAt: number;
}

/**
 * Meituan's store-map bindings: one `appAuthToken` per `ePoiId`, valid until unbound (spec §3).
 * The store-map page and its bind callback to the BFF belong to the menu-sync work: they call
 * `bind` here, so a store bound through the page and one bound by a test (or
 * `POST /_sim/meituan/bind`) look the same to the open-cater gateway.
 */
export class MeituanBindings {
  private readonly byStore = new Map<string, MeituanBinding>();
  private readonly byToken = new Map<string, MeituanBinding>();
  private nextPoiId = 20_000_001;

  constructor(private readonly now: () => number) {}

  /** Binds a store (again): a new token replaces the old one, as a re-bind does. */
  bind(ePoiId: string, appAuthToken?: string): MeituanBinding {
    this.unbind(ePoiId);
    const binding: MeituanBinding = {
      ePoiId,
      appAuthToken: appAuthToken ?? `sim-${randomBytes(24).toString('hex')}`,
      poiId: String(this.nextPoiId++),
      boundAt: this.now(),
    };
    this.byStore.set(ePoiId, binding);
    this.byToken.set(binding.appAuthToken, binding);
    return binding;
  }

  unbind(ePoiId: string): boolean {
    const binding = this.byStore.get(ePoiId);
    if (!binding) return false;
    this.byStore.delete(ePoiId);
    this.byToken.delete(binding.appAuthToken);
    return true;
  }

  byAppAuthToken(token: string | undefined): MeituanBinding | undefined {
    return token === undefined ? undefined : this.byToken.get(token);
  }

  byEPoiId(ePoiId: string): MeituanBinding | undefined {
    return this.byStore.get(ePoiId);
  }

  list(): MeituanBinding[] {
    return [...this.byStore.values()];
  }

  clear(): void {
    this.byStore.clear();
    this.byToken.clear();
  }
}
