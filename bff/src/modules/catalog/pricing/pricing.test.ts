import { describe, expect, it } from 'vitest';
import { checkAdjustment, effectivePrice, pickChannelRule } from './pricing';

const sku = { skuId: 'S1', categoryId: 'C1', basePrice: 3200 };

describe('effective price', () => {
  it('is the base price when nothing overrides it', () => {
    expect(effectivePrice(sku, [], undefined)).toEqual({ channelPrice: 3200, price: 3200 });
  });

  it('applies a delivery platform markup, then the store adjustment on top', () => {
    const rules = [{ target: '*', kind: 'percent' as const, value: 1000 }];
    expect(effectivePrice(sku, rules, undefined)).toEqual({ channelPrice: 3520, price: 3520 });
    expect(effectivePrice(sku, rules, { kind: 'amount', value: -200 }).price).toBe(3320);
    expect(effectivePrice(sku, rules, { kind: 'percent', value: 500 }).price).toBe(3696);
  });

  it('uses the most specific channel rule: SKU over category over the whole menu', () => {
    const rules = [
      { target: '*', kind: 'percent' as const, value: 1000 },
      { target: 'category:C1', kind: 'amount' as const, value: 100 },
      { target: 'sku:S1', kind: 'fixed' as const, value: 2999 },
    ];
    expect(pickChannelRule(rules, sku)?.target).toBe('sku:S1');
    expect(effectivePrice(sku, rules, undefined).price).toBe(2999);
    expect(pickChannelRule(rules.slice(0, 2), sku)?.target).toBe('category:C1');
    expect(effectivePrice({ ...sku, categoryId: 'C2' }, rules.slice(0, 2), undefined).price).toBe(3520);
  });

  it('never goes below zero', () => {
    expect(effectivePrice(sku, [], { kind: 'amount', value: -5000 }).price).toBe(0);
  });
});

describe('store adjustment range', () => {
  const percent = { kind: 'percent' as const, min: -500, max: 800 };
  const amount = { kind: 'amount' as const, min: -200, max: 300 };

  it('accepts an adjustment inside the range and flags one at its edge', () => {
    expect(checkAdjustment({ kind: 'percent', value: 300 }, percent, 3200)).toEqual({ ok: true, atEdge: false });
    expect(checkAdjustment({ kind: 'percent', value: 800 }, percent, 3200)).toEqual({ ok: true, atEdge: true });
    expect(checkAdjustment({ kind: 'amount', value: -200 }, amount, 2800)).toEqual({ ok: true, atEdge: true });
  });

  it('refuses an adjustment outside the range, in either unit', () => {
    expect(checkAdjustment({ kind: 'percent', value: 900 }, percent, 3200)).toMatchObject({ ok: false, value: 900 });
    // +300 fen on 3200 is +9.38%: over the +8% limit
    expect(checkAdjustment({ kind: 'amount', value: 300 }, percent, 3200)).toMatchObject({ ok: false, value: 938 });
    // +15% of 2800 is +420 fen: over the +300 fen limit
    expect(checkAdjustment({ kind: 'percent', value: 1500 }, amount, 2800)).toMatchObject({ ok: false, value: 420 });
  });

  it('allows no adjustment at all in a category without a range', () => {
    const none = { kind: null, min: 0, max: 0 };
    expect(checkAdjustment({ kind: 'amount', value: 0 }, none, 1000).ok).toBe(true);
    expect(checkAdjustment({ kind: 'amount', value: 1 }, none, 1000).ok).toBe(false);
  });
});
