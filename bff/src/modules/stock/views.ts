import type { StockSkuView } from 'shared-types';
import type { SkuRow } from '../catalog/pricing/lookup';
import {
  type EffectiveRow,
  effectiveRow,
  iso,
  productKey,
  rowView,
  type SkuStock,
  type StockItemRow,
  skuKey,
  skuStock,
} from './model';

/** Stock rows of a store, evaluated at `now`, by `sku:<code>` / `product:<code>`. */
export function effectiveRows(rows: StockItemRow[], now: number, today: string): Map<string, EffectiveRow> {
  const out = new Map<string, EffectiveRow>();
  for (const row of rows) {
    out.set(row.level === 'sku' ? skuKey(row.code) : productKey(row.code), effectiveRow(row, now, today));
  }
  return out;
}

export function stockOfSku(rows: Map<string, EffectiveRow>, skuCode: string, productCode: string): SkuStock {
  return skuStock(rows.get(skuKey(skuCode)), rows.get(productKey(productCode)));
}

export function skuView(
  rows: Map<string, EffectiveRow>,
  sku: Pick<SkuRow, 'code' | 'productCode' | 'productName' | 'specText'>,
): StockSkuView {
  const own = rows.get(skuKey(sku.code));
  const product = rows.get(productKey(sku.productCode));
  const stock = skuStock(own, product);
  return {
    skuCode: sku.code,
    productCode: sku.productCode,
    name: sku.productName,
    specText: sku.specText,
    quantity: stock.quantity,
    soldOut: stock.soldOut,
    soldOutReason: stock.reason,
    soldOutUntil: stock.soldOutUntil === null ? null : iso(stock.soldOutUntil),
    dailyLimit: stock.dailyLimit,
    sku: own ? rowView(own) : null,
    product: product ? rowView(product) : null,
  };
}
