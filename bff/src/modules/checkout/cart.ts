import { AvailabilityWindow, type CartLine, type Channel, type QuoteLine } from 'shared-types';
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import type { AddonOptionRef, CatalogLookup, PricedSku } from '../catalog/pricing/lookup';
import { availableAt } from '../catalog/pricing/member-menu';

export interface PricedCartLine extends QuoteLine {
  sku: PricedSku;
  addonsPrice: number;
  boxCount: number;
}

const Windows = z.array(AvailabilityWindow);

/**
 * Whether a product sells at `at`: the same rule the member menu shows as `available`
 * (`availableAt`), on the product's stored windows. Windows that cannot be read do not block a sale.
 */
export function sellsAt(availability: string | null, timeZone: string, at: number): boolean {
  if (!availability) return true;
  const parsed = Windows.safeParse(JSON.parse(availability));
  return !parsed.success || availableAt(parsed.data, at, timeZone);
}

/**
 * Prices a member's cart from the server's own prices for the channel (the client sends codes
 * and quantities only): the SKU's effective price, its add-ons checked against each group's
 * min/max, and packaging unless eaten in.
 */
export async function priceCart(
  catalog: CatalogLookup,
  input: {
    brandId: string;
    storeId: string;
    timeZone: string;
    channel: Channel;
    lines: CartLine[];
    soldOut: Set<string>;
    withPackaging: boolean;
    at: number;
  },
): Promise<PricedCartLine[]> {
  const codes = input.lines.map((l) => l.skuCode);
  const [skus, options] = await Promise.all([
    catalog.pricedSkus(input.brandId, input.storeId, input.channel, codes),
    catalog.addonOptions(
      input.brandId,
      input.lines.flatMap((l) => l.addons ?? []),
    ),
  ]);
  const groupsOf = await catalog.addonGroupsOfProducts([...new Set([...skus.values()].map((s) => s.productId))]);
  return input.lines.map((line, index) => {
    const sku = skus.get(line.skuCode);
    if (!sku) {
      throw new AppError('SKU_UNAVAILABLE', 422, `${line.skuCode} is not sold at this store`, {
        line: index,
        skuCode: line.skuCode,
      });
    }
    if (input.soldOut.has(sku.code) || !sellsAt(sku.availability, input.timeZone, input.at)) {
      throw new AppError('SKU_UNAVAILABLE', 422, `${sku.productName} ${sku.specText} is not available now`.trim(), {
        line: index,
        skuCode: sku.code,
      });
    }
    const addons = checkAddons(line, index, sku, groupsOf.get(sku.productId) ?? [], options);
    const addonsPrice = addons.reduce((sum, a) => sum + a.price, 0);
    const packagingFee = input.withPackaging ? sku.packagingFee * line.quantity : 0;
    return {
      sku,
      skuCode: sku.code,
      name: sku.productName,
      specText: sku.specText,
      quantity: line.quantity,
      unitPrice: sku.price,
      addons: addons.map((a) => ({ code: a.code, name: a.name, price: a.price })),
      addonsPrice,
      packagingFee,
      boxCount: input.withPackaging ? sku.boxCount * line.quantity : 0,
      lineTotal: (sku.price + addonsPrice) * line.quantity,
    };
  });
}

function checkAddons(
  line: CartLine,
  index: number,
  sku: PricedSku,
  groups: { groupId: string; groupName: string; minChoices: number; maxChoices: number }[],
  options: Map<string, AddonOptionRef>,
): AddonOptionRef[] {
  const chosen: AddonOptionRef[] = [];
  const seen = new Set<string>();
  for (const code of line.addons ?? []) {
    const option = options.get(code);
    if (option?.status !== 'active' || !groups.some((g) => g.groupId === option.groupId)) {
      throw new AppError('ADDON_CHOICES', 422, `${code} is not an add-on of ${sku.productName}`, {
        line: index,
        addon: code,
      });
    }
    if (seen.has(code)) {
      throw new AppError('ADDON_CHOICES', 422, `${option.name} is chosen twice`, { line: index, addon: code });
    }
    seen.add(code);
    chosen.push(option);
  }
  for (const g of groups) {
    const count = chosen.filter((o) => o.groupId === g.groupId).length;
    if (count < g.minChoices || count > g.maxChoices) {
      const rule =
        g.minChoices === g.maxChoices ? `exactly ${g.minChoices}` : `between ${g.minChoices} and ${g.maxChoices}`;
      throw new AppError('ADDON_CHOICES', 422, `${sku.productName}: choose ${rule} of ${g.groupName}`, {
        line: index,
        group: g.groupName,
        min: g.minChoices,
        max: g.maxChoices,
        chosen: count,
      });
    }
  }
  return chosen;
}
