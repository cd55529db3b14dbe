import type { AvailabilityWindow } from 'shared-types';
import { fenToYuan, yuanToFen } from 'shared-types/money';
import type {
  ChannelSkuDoc,
  DishUpsert,
  DishUpsertResult,
  PlatformDishSnapshot,
} from '../../modules/catalog/sync/platform-menu';

/**
 * What both Meituan menu gateways share: our dish documents in Meituan's terms and Meituan's
 * answers back in ours.
 *
 * Packaging: our fee is per unit of the SKU; Meituan charges boxNum × boxPrice, so the fee is split
 * over the boxes when it divides evenly, else charged as one box.
 */

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export const yuan = (fen: number) => Number(fenToYuan(fen));

export function boxes(sku: Pick<ChannelSkuDoc, 'packagingFee' | 'boxCount'>): { boxNum: number; boxPrice: number } {
  if (sku.packagingFee === 0) return { boxNum: sku.boxCount, boxPrice: 0 };
  if (sku.boxCount > 0 && sku.packagingFee % sku.boxCount === 0) {
    return { boxNum: sku.boxCount, boxPrice: yuan(sku.packagingFee / sku.boxCount) };
  }
  return { boxNum: 1, boxPrice: yuan(sku.packagingFee) };
}

/** Availability windows as Meituan's `availableTimes` ({"monday":"06:30-10:30,…"}); null when always. */
export function availableTimes(windows: AvailabilityWindow[] | null): Record<string, string> | null {
  if (!windows) return null;
  const out: Record<string, string> = {};
  for (const [i, day] of DAYS.entries()) {
    const ranges = windows.filter((w) => w.days.includes(i + 1)).map((w) => `${w.start}-${w.end}`);
    out[day] = ranges.join(',');
  }
  return out;
}

const fen = (value: unknown) => yuanToFen(typeof value === 'number' || typeof value === 'string' ? value : 0);

export const identity = (d: DishUpsert): DishUpsertResult => ({
  code: d.doc.code,
  platformItemId: d.doc.code,
  platformSkuIds: Object.fromEntries(d.doc.skus.map((s) => [s.code, s.code])),
});

export const LIMITS = { dishesPerCall: 20, pricesPerCall: 100, callsPerDishBatch: 2 };
export const PAGE = 199;

export type Row = Record<string, unknown>;
export const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
export const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function snapshotDish(
  code: string,
  name: unknown,
  categoryName: unknown,
  description: unknown,
  unit: unknown,
  skus: Row[],
  addons: PlatformDishSnapshot['addons'],
  style: 'camel' | 'snake',
): PlatformDishSnapshot {
  const k =
    style === 'camel'
      ? { id: 'skuId', num: 'boxNum', price: 'boxPrice' }
      : { id: 'sku_id', num: 'box_num', price: 'box_price' };
  return {
    code,
    platformItemId: code,
    name: str(name),
    categoryName: str(categoryName),
    description: str(description),
    unit: str(unit),
    skus: skus.map((s) => ({
      code: str(s[k.id]),
      platformSkuId: str(s[k.id]),
      spec: str(s.spec),
      price: fen(s.price),
      packagingFee: fen(s[k.price]) * Number(s[k.num] ?? 0),
    })),
    addons,
  };
}
