import { describe, expect, it } from 'vitest';
import { type ChannelDishDoc, hashCategory, hashDish } from './platform-menu';
import { planSync } from './publish-diff';
import type { SyncItemRow } from './repo-sync';

const limits = { dishesPerCall: 20, pricesPerCall: 100, callsPerDishBatch: 2 };
const category = hashCategory({ code: 'NOODLES', name: '招牌面', sequence: 0 });
const dish = (price: number, name = '红烧牛肉面'): ChannelDishDoc => ({
  code: 'N001',
  name,
  description: '',
  unit: '份',
  imageUrl: null,
  categoryCode: 'NOODLES',
  categoryName: '招牌面',
  sequence: 0,
  availability: null,
  skus: [{ code: 'N001-L', spec: '大碗', price, packagingFee: 100, boxCount: 1 }],
  addons: [],
});

function accepted(
  item: ReturnType<typeof hashDish> | typeof category,
  status: SyncItemRow['status'] = 'in_step',
): SyncItemRow {
  return {
    store_id: 'S',
    platform: 'meituan',
    item_key: item.key,
    kind: item.key.startsWith('dish') ? 'dish' : 'category',
    name: item.name,
    desired_body_hash: item.bodyHash,
    desired_price_hash: item.priceHash,
    desired_doc: JSON.stringify(item.doc),
    accepted_body_hash: status === 'in_step' ? item.bodyHash : null,
    accepted_price_hash: status === 'in_step' ? item.priceHash : null,
    accepted_doc: status === 'in_step' ? JSON.stringify(item.doc) : null,
    platform_id: null,
    status,
    last_error: null,
    publish_id: null,
    accepted_at: null,
    updated_at: 0,
  };
}

describe('publish diff', () => {
  it('uploads everything the platform has never accepted, categories first', () => {
    const plan = planSync({ categories: [category], dishes: [hashDish(dish(3520))] }, [], limits);
    expect(plan.messages.map((m) => m.op)).toEqual(['upsert_categories', 'upsert_dishes']);
    expect(plan.calls).toBe(1 + 2);
  });

  it('queues nothing when the platform already has exactly this menu', () => {
    const d = hashDish(dish(3520));
    const plan = planSync({ categories: [category], dishes: [d] }, [accepted(category), accepted(d)], limits);
    expect(plan.messages).toEqual([]);
    expect(plan.desired).toEqual([]);
    expect(plan.calls).toBe(0);
  });

  it('sends a price-only change as one price update, not a dish upload', () => {
    const plan = planSync(
      { categories: [category], dishes: [hashDish(dish(3630))] },
      [accepted(category), accepted(hashDish(dish(3520)))],
      limits,
    );
    expect(plan.messages.map((m) => m.op)).toEqual(['update_prices']);
    expect(plan.calls).toBe(1);
  });

  it('uploads the whole dish when anything but the price changed', () => {
    const plan = planSync(
      { categories: [category], dishes: [hashDish(dish(3630, '红烧牛肉面（大）'))] },
      [accepted(category), accepted(hashDish(dish(3520)))],
      limits,
    );
    expect(plan.messages.map((m) => m.op)).toEqual(['upsert_dishes']);
  });

  it('deletes what left the menu, dishes before categories, and forgets what was never accepted', () => {
    const pendingOnly = { ...accepted(hashDish({ ...dish(1), code: 'N009' }), 'failed') };
    const plan = planSync(
      { categories: [], dishes: [] },
      [accepted(category), accepted(hashDish(dish(3520))), pendingOnly],
      limits,
    );
    expect(plan.messages.map((m) => m.op)).toEqual(['delete_dishes', 'delete_categories']);
    expect(plan.forget).toEqual(['dish:N009']);
  });

  it('does not queue an item again while the same content is on its way, but retries a failed one', () => {
    const d = hashDish(dish(3520));
    expect(planSync({ categories: [], dishes: [d] }, [accepted(d, 'pending')], limits).messages).toEqual([]);
    expect(
      planSync({ categories: [], dishes: [d] }, [accepted(d, 'failed')], limits).messages.map((m) => m.op),
    ).toEqual(['upsert_dishes']);
  });
});
