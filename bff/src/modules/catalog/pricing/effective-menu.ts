import type { AvailabilityWindow, Channel } from 'shared-types';
import { type ChannelRule, effectivePrice, type StoreAdjustment } from './pricing';

/**
 * The effective menu of one store on one channel: what the store carries (listed, not hidden,
 * active, with at least one active SKU), in category and product order, each SKU at its
 * effective price. The member menu, the publish diff and the audit all start from here, so the
 * three can never disagree about what a store sells at what price.
 */

export interface MasterCategory {
  id: string;
  code: string;
  name: string;
  sortOrder: number;
  adjustKind: 'percent' | 'amount' | null;
  adjustMin: number;
  adjustMax: number;
}

export interface MasterSku {
  id: string;
  code: string;
  specText: string;
  options: string[];
  basePrice: number;
  cost: number;
  packagingFee: number;
  boxCount: number;
  sortOrder: number;
}

export interface MasterAddonGroup {
  id: string;
  code: string;
  name: string;
  minChoices: number;
  maxChoices: number;
  options: { id: string; code: string; name: string; price: number }[];
}

export interface MasterProduct {
  id: string;
  code: string;
  categoryId: string;
  name: string;
  description: string;
  imageUrl: string | null;
  tags: string[];
  unit: string;
  sortOrder: number;
  availability: AvailabilityWindow[] | null;
  specGroups: { name: string; options: string[] }[];
  skus: MasterSku[];
  addonGroups: MasterAddonGroup[];
}

/** The active master menu of a brand, loaded once and shared by every store's computation. */
export interface MasterMenu {
  brandId: string;
  categories: MasterCategory[];
  products: MasterProduct[];
  /** Channel rules per channel. */
  rules: Map<Channel, ChannelRule[]>;
}

/** What one store carries and how it adjusted prices. */
export interface StoreCarry {
  storeId: string;
  /** Product ids listed and not hidden. */
  carried: Set<string>;
  adjustments: Map<string, StoreAdjustment>;
}

export interface EffectiveSku extends MasterSku {
  /** Price after the channel rule, before the store adjustment. */
  channelPrice: number;
  price: number;
}

export interface EffectiveProduct extends Omit<MasterProduct, 'skus'> {
  skus: EffectiveSku[];
}

export interface EffectiveCategory extends MasterCategory {
  products: EffectiveProduct[];
}

export interface EffectiveMenu {
  storeId: string;
  channel: Channel;
  categories: EffectiveCategory[];
}

export function buildEffectiveMenu(master: MasterMenu, carry: StoreCarry, channel: Channel): EffectiveMenu {
  const rules = master.rules.get(channel) ?? [];
  const byCategory = new Map<string, EffectiveProduct[]>();
  for (const p of master.products) {
    if (!carry.carried.has(p.id) || p.skus.length === 0) continue;
    const skus = p.skus.map((s) => {
      const { channelPrice, price } = effectivePrice(
        { skuId: s.id, categoryId: p.categoryId, basePrice: s.basePrice },
        rules,
        carry.adjustments.get(s.id),
      );
      return { ...s, channelPrice, price };
    });
    const list = byCategory.get(p.categoryId) ?? [];
    list.push({ ...p, skus });
    byCategory.set(p.categoryId, list);
  }
  const categories: EffectiveCategory[] = [];
  for (const c of master.categories) {
    const products = byCategory.get(c.id);
    if (products?.length) categories.push({ ...c, products });
  }
  return { storeId: carry.storeId, channel, categories };
}
