import type { SkuOverride, SpecGroupInput } from 'shared-types';
import { AppError } from '../../../lib/errors';

/**
 * Required spec groups generate a product's SKUs: one SKU per combination of one option from
 * each group (大碗/小碗 × 冰/热 → four SKUs). Each SKU gets its own 商品编码 from the product code
 * and the options' suffixes (N001 + L → N001-L), the product's price plus the options' deltas,
 * and may be overridden one by one.
 */

export interface SkuDefaults {
  basePrice: number;
  cost: number;
  packagingFee: number;
  boxCount: number;
}

export interface GeneratedSku extends SkuDefaults {
  code: string;
  specText: string;
  options: string[];
  sortOrder: number;
}

/** More combinations than this is a data-entry mistake, not a menu. */
export const MAX_SKUS_PER_PRODUCT = 100;

export function generateSkus(
  productCode: string,
  defaults: SkuDefaults,
  groups: SpecGroupInput[],
  overrides: SkuOverride[],
): GeneratedSku[] {
  const groupNames = new Set<string>();
  for (const [i, g] of groups.entries()) {
    if (g.options.length === 0) {
      throw new AppError(
        'SPEC_GROUP_EMPTY',
        422,
        `spec group "${g.name}" has no options; a required spec needs at least one`,
        {
          group: g.name,
          index: i,
        },
      );
    }
    if (groupNames.has(g.name)) throw invalid(`spec group "${g.name}" appears twice`);
    groupNames.add(g.name);
    const names = new Set<string>();
    const suffixes = new Set<string>();
    for (const o of g.options) {
      if (names.has(o.name)) throw invalid(`option "${o.name}" appears twice in spec group "${g.name}"`);
      if (suffixes.has(o.codeSuffix))
        throw invalid(`code suffix "${o.codeSuffix}" appears twice in spec group "${g.name}"`);
      names.add(o.name);
      suffixes.add(o.codeSuffix);
    }
  }
  const count = groups.reduce((n, g) => n * g.options.length, 1);
  if (count > MAX_SKUS_PER_PRODUCT) {
    throw invalid(`these spec groups make ${count} SKUs; at most ${MAX_SKUS_PER_PRODUCT} are allowed`);
  }

  type Combo = { code: string; options: string[]; price: number; cost: number };
  let combos: Combo[] = [{ code: productCode, options: [], price: defaults.basePrice, cost: defaults.cost }];
  for (const g of groups) {
    combos = combos.flatMap((c) =>
      g.options.map((o) => ({
        code: `${c.code}-${o.codeSuffix}`,
        options: [...c.options, o.name],
        price: c.price + o.priceDelta,
        cost: c.cost + o.costDelta,
      })),
    );
  }

  const byKey = new Map(combos.map((c) => [c.options.join('/'), c]));
  const overrideByKey = new Map<string, SkuOverride>();
  for (const o of overrides) {
    const key = o.options.join('/');
    if (!byKey.has(key) || o.options.length !== groups.length) {
      throw invalid(
        `SKU override names options [${o.options.join(', ')}], which is not a combination of the spec groups`,
      );
    }
    if (overrideByKey.has(key)) throw invalid(`SKU override for [${o.options.join(', ')}] appears twice`);
    overrideByKey.set(key, o);
  }

  const skus = combos.map((c, i): GeneratedSku => {
    const o = overrideByKey.get(c.options.join('/'));
    return {
      code: o?.code ?? c.code,
      specText: c.options.join('/'),
      options: c.options,
      basePrice: o?.basePrice ?? c.price,
      cost: o?.cost ?? c.cost,
      packagingFee: o?.packagingFee ?? defaults.packagingFee,
      boxCount: o?.boxCount ?? defaults.boxCount,
      sortOrder: i,
    };
  });
  const negative = skus.find((s) => s.basePrice < 0 || s.cost < 0);
  if (negative) throw invalid(`SKU ${negative.code} would have a negative price or cost`);
  const dup = skus.filter((s, i) => skus.findIndex((o) => o.code === s.code) !== i).map((s) => s.code);
  if (dup.length) {
    throw new AppError('SKU_CODE_TAKEN', 409, `SKU code ${dup[0]} is used by two SKUs of this product`, { codes: dup });
  }
  return skus;
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', 400, message);
}
