import { applyBasisPoints } from 'shared-types/money';

/**
 * The effective price of a SKU for (store, channel): HQ base price → the channel's override →
 * the store's adjustment. Pure functions, so the rule is the same in the member menu, the quote,
 * the publish diff and the audit.
 */

export type ChannelRuleKind = 'percent' | 'amount' | 'fixed';

export interface ChannelRule {
  /** '*', 'category:<id>' or 'sku:<id>'. */
  target: string;
  kind: ChannelRuleKind;
  value: number;
}

export interface StoreAdjustment {
  kind: 'percent' | 'amount';
  value: number;
}

export interface AdjustRange {
  kind: 'percent' | 'amount' | null;
  min: number;
  max: number;
}

export interface PriceInputs {
  skuId: string;
  categoryId: string;
  basePrice: number;
}

/** The channel rule that applies: the SKU's own, else its category's, else the channel-wide one. */
export function pickChannelRule(rules: ChannelRule[], sku: PriceInputs): ChannelRule | undefined {
  return (
    rules.find((r) => r.target === `sku:${sku.skuId}`) ??
    rules.find((r) => r.target === `category:${sku.categoryId}`) ??
    rules.find((r) => r.target === '*')
  );
}

export function applyChannelRule(basePrice: number, rule: ChannelRule | undefined): number {
  if (!rule) return basePrice;
  switch (rule.kind) {
    case 'percent':
      return applyBasisPoints(basePrice, rule.value);
    case 'amount':
      return basePrice + rule.value;
    case 'fixed':
      return rule.value;
  }
}

export function applyStoreAdjustment(channelPrice: number, adjustment: StoreAdjustment | undefined): number {
  if (!adjustment) return channelPrice;
  return adjustment.kind === 'percent'
    ? applyBasisPoints(channelPrice, adjustment.value)
    : channelPrice + adjustment.value;
}

export function effectivePrice(
  sku: PriceInputs,
  channelRules: ChannelRule[],
  adjustment: StoreAdjustment | undefined,
): { channelPrice: number; price: number } {
  const channelPrice = Math.max(0, applyChannelRule(sku.basePrice, pickChannelRule(channelRules, sku)));
  return { channelPrice, price: Math.max(0, applyStoreAdjustment(channelPrice, adjustment)) };
}

/**
 * An adjustment expressed in the range's unit, so the two can be compared: a fen adjustment is
 * converted to basis points of the base price and the other way round. Channel-independent on
 * purpose: one store adjustment applies to every channel.
 */
export function adjustmentInRangeUnit(adjustment: StoreAdjustment, range: AdjustRange, basePrice: number): number {
  if (range.kind === null || adjustment.kind === range.kind) return adjustment.value;
  if (range.kind === 'percent') {
    return basePrice === 0 ? 0 : Math.round((adjustment.value * 10000) / basePrice);
  }
  return Math.round((basePrice * adjustment.value) / 10000);
}

export type RangeCheck = { ok: true; atEdge: boolean } | { ok: false; value: number; min: number; max: number };

/** Whether a store adjustment stays inside the category's range (a category without a range allows none). */
export function checkAdjustment(adjustment: StoreAdjustment, range: AdjustRange, basePrice: number): RangeCheck {
  if (range.kind === null) {
    return adjustment.value === 0
      ? { ok: true, atEdge: false }
      : { ok: false, value: adjustment.value, min: 0, max: 0 };
  }
  const value = adjustmentInRangeUnit(adjustment, range, basePrice);
  if (value < range.min || value > range.max) return { ok: false, value, min: range.min, max: range.max };
  return { ok: true, atEdge: value !== 0 && (value === range.min || value === range.max) };
}
