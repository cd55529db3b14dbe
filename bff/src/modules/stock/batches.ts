import { chunk } from '../../lib/chunk';
import type { PlatformSkuState } from './push';

/** The most SKUs put in one stock or sell-status call. */
export const STOCK_BATCH = 50;

export function chunks<T>(items: T[], size = STOCK_BATCH): T[][] {
  return chunk(items, size);
}

/**
 * Sends `skus` in batches, for the platform stock clients. A batch the platform refuses as such
 * (`isRefusal`: a stale mapping, a SKU deleted on the platform) is sent again one SKU at a time,
 * so one bad SKU does not keep the others' state from getting through; SKUs refused on their own
 * are reported and skipped (sending them again cannot help). Anything else (timeouts, rate limits,
 * platform trouble) is thrown, and the whole push is retried with the state current then.
 */
export async function sendBatched(
  skus: PlatformSkuState[],
  call: (batch: PlatformSkuState[]) => Promise<void>,
  isRefusal: (err: unknown) => boolean,
  refused: (sku: PlatformSkuState, err: unknown) => void,
): Promise<void> {
  for (const batch of chunks(skus)) {
    try {
      await call(batch);
      continue;
    } catch (err) {
      if (!isRefusal(err)) throw err;
      if (batch.length === 1) {
        refused(batch[0] as PlatformSkuState, err);
        continue;
      }
    }
    for (const sku of batch) {
      try {
        await call([sku]);
      } catch (err) {
        if (!isRefusal(err)) throw err;
        refused(sku, err);
      }
    }
  }
}
