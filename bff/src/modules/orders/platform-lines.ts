import type { CatalogLookup } from '../catalog/pricing/lookup';
import type { NewOrderLine } from './model';

/** A platform order line before mapping: amounts already in fen. */
export interface PlatformLine {
  /** The code the platform carries for us (Meituan `sku_id`, Ele.me `extendCode`), if any. */
  claimedCode: string | null;
  /** Meituan `app_food_code`: our product code, used when a single-SKU product has no sku_id. */
  productCode?: string | null;
  platformItemId: string | null;
  platformSkuId: string | null;
  name: string;
  specText: string;
  /** Attribute names (口味, 做法) as the platform prints them. */
  attributes: string[];
  quantity: number;
  unitPrice: number;
  packagingFee: number;
  boxCount: number;
}

/**
 * Maps platform lines to our SKU codes: the code the platform carries for us when it is one of
 * ours, else the channel mapping of the platform's spec id, else the product's only SKU. A line
 * that maps to nothing is kept and flagged, never dropped: the kitchen still has to make it.
 */
export async function mapPlatformLines(
  catalog: CatalogLookup,
  brandId: string,
  storeId: string,
  platform: 'meituan' | 'eleme',
  lines: PlatformLine[],
): Promise<NewOrderLine[]> {
  const claimed = lines.map((l) => l.claimedCode).filter((c): c is string => !!c);
  const [known, mapped, productSkus] = await Promise.all([
    catalog.skusByCodes(brandId, claimed),
    catalog.skuCodesForPlatformSkus(
      storeId,
      platform,
      lines.map((l) => l.platformSkuId).filter((c): c is string => !!c),
    ),
    catalog.skusOfProducts(
      brandId,
      lines.map((l) => l.productCode).filter((c): c is string => !!c),
    ),
  ]);
  return lines.map((l) => {
    let code: string | null = null;
    if (l.claimedCode && known.has(l.claimedCode)) code = l.claimedCode;
    if (!code && l.platformSkuId) {
      const candidates = mapped.get(l.platformSkuId) ?? [];
      // A platform spec claimed by two of our SKUs is a mapping conflict: flag rather than guess.
      if (candidates.length === 1) code = candidates[0] as string;
    }
    if (!code && l.productCode) {
      const skus = productSkus.filter((s) => s.productCode === l.productCode);
      if (skus.length === 1) code = (skus[0] as { code: string }).code;
    }
    return {
      skuCode: code,
      platformItemId: l.platformItemId,
      platformSkuId: l.platformSkuId,
      name: l.name,
      specText: l.specText,
      addons: l.attributes.map((name) => ({ code: null, name, price: 0 })),
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      addonsPrice: 0,
      packagingFee: l.packagingFee,
      boxCount: l.boxCount,
      lineTotal: l.unitPrice * l.quantity,
      unmapped: code === null,
    };
  });
}
