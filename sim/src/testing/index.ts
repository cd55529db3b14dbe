import type { ElemeSettings } from 'bff/channels/eleme/transport';
import type { OpenCaterSettings } from 'bff/channels/meituan/open-cater-transport';
import type { WaimaiopenSettings } from 'bff/channels/meituan/waimaiopen-transport';
import { SIMULATOR_DEFAULTS } from 'shared-types';

/**
 * Helpers for tests that drive the BFF's channel transports against a running simulator. The
 * settings mirror what `bff/src/config.ts` derives from `SIM_BASE_URL` outside production.
 */
export function simTransportSettings(
  simUrl: string,
  timeoutMs = 2_000,
): { openCater: OpenCaterSettings; waimaiopen: WaimaiopenSettings; eleme: ElemeSettings } {
  const { meituan, eleme } = SIMULATOR_DEFAULTS;
  return {
    openCater: {
      apiBase: `${simUrl}/meituan/open-cater`,
      developerId: meituan.developerId,
      signKey: meituan.signKey,
      businessId: meituan.businessId,
      timeoutMs,
    },
    waimaiopen: {
      apiBase: `${simUrl}/meituan/waimaiopen/api/v1`,
      appId: meituan.appId,
      appSecret: meituan.appSecret,
      timeoutMs,
    },
    eleme: { apiBase: `${simUrl}/eleme`, appKey: eleme.appKey, appSecret: eleme.appSecret, timeoutMs },
  };
}

/** A clock a test moves by hand, shareable by the BFF side and the simulator (`now: clock.now`). */
export class TestClock {
  constructor(private ms = Date.now()) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}
