import { chunk } from '../../../lib/chunk';
import type { ChannelCategoryDoc, ChannelDishDoc, HashedDoc } from './platform-menu';
import type { DesiredItem, SyncItemRow } from './repo-sync';

/**
 * The difference between a store's effective menu on a platform and what that platform last
 * accepted, as the calls that close it. Pure: the publish service feeds it rows and writes the
 * plan in one transaction.
 *
 * - A dish whose content changed is uploaded whole (with its prices).
 * - A dish whose only change is SKU prices goes into one price update.
 * - Something the platform has that is no longer on the menu is deleted (dishes before categories).
 * - An item already queued with exactly this content is not queued again; a failed one is.
 */

export type SyncOp = 'upsert_categories' | 'upsert_dishes' | 'update_prices' | 'delete_dishes' | 'delete_categories';

export interface CallItem {
  key: string;
  name: string;
  bodyHash: string | null;
  priceHash: string | null;
  doc: unknown;
}

export interface QueuedMessage {
  op: SyncOp;
  items: CallItem[];
}

export interface PlatformLimits {
  dishesPerCall: number;
  pricesPerCall: number;
  /** Platform requests one dish upload makes (Meituan also binds properties: 2). */
  callsPerDishBatch: number;
}

export interface SyncPlan {
  desired: DesiredItem[];
  deletions: string[];
  forget: string[];
  messages: QueuedMessage[];
  calls: number;
  changes: { categories: number; dishes: number; prices: number; deletions: number };
}

/** Items per outbox message: one message stays small and is retried as a unit. */
const ITEMS_PER_MESSAGE = 20;

function alreadyQueued(row: SyncItemRow, bodyHash: string | null, priceHash: string | null): boolean {
  return row.status === 'pending' && row.desired_body_hash === bodyHash && row.desired_price_hash === priceHash;
}

export function planSync(
  desired: { categories: HashedDoc<ChannelCategoryDoc>[]; dishes: HashedDoc<ChannelDishDoc>[] },
  existing: SyncItemRow[],
  limits: PlatformLimits,
): SyncPlan {
  const rows = new Map(existing.map((r) => [r.item_key, r]));
  const plan: SyncPlan = {
    desired: [],
    deletions: [],
    forget: [],
    messages: [],
    calls: 0,
    changes: { categories: 0, dishes: 0, prices: 0, deletions: 0 },
  };
  const upsertCategories: CallItem[] = [];
  const upsertDishes: CallItem[] = [];
  const priceUpdates: CallItem[] = [];
  const deleteDishes: CallItem[] = [];
  const deleteCategories: CallItem[] = [];

  const consider = (kind: 'category' | 'dish', item: HashedDoc<ChannelCategoryDoc | ChannelDishDoc>) => {
    const row = rows.get(item.key);
    rows.delete(item.key);
    const call: CallItem = {
      key: item.key,
      name: item.name,
      bodyHash: item.bodyHash,
      priceHash: item.priceHash,
      doc: item.doc,
    };
    const inStep = row?.accepted_body_hash === item.bodyHash && row?.accepted_price_hash === item.priceHash;
    if (inStep) {
      if (
        row &&
        (row.status !== 'in_step' ||
          row.desired_body_hash !== item.bodyHash ||
          row.desired_price_hash !== item.priceHash)
      ) {
        plan.desired.push({ ...call, kind, bodyHash: item.bodyHash, priceHash: item.priceHash, status: 'in_step' });
      }
      return;
    }
    if (row && alreadyQueued(row, item.bodyHash, item.priceHash)) return;
    plan.desired.push({ ...call, kind, bodyHash: item.bodyHash, priceHash: item.priceHash, status: 'pending' });
    if (kind === 'category') upsertCategories.push(call);
    else if (row?.accepted_body_hash === item.bodyHash) priceUpdates.push(call);
    else upsertDishes.push(call);
  };
  for (const c of desired.categories) consider('category', c);
  for (const d of desired.dishes) consider('dish', d);

  for (const row of rows.values()) {
    if (row.accepted_body_hash === null) {
      plan.forget.push(row.item_key);
      continue;
    }
    if (alreadyQueued(row, null, null)) continue;
    plan.deletions.push(row.item_key);
    const call: CallItem = {
      key: row.item_key,
      name: row.name,
      bodyHash: null,
      priceHash: null,
      doc: { accepted: row.accepted_doc ? JSON.parse(row.accepted_doc) : null, platformId: row.platform_id },
    };
    (row.kind === 'category' ? deleteCategories : deleteDishes).push(call);
  }

  const add = (op: SyncOp, items: CallItem[], perMessage: number) => {
    for (const batch of chunk(items, perMessage)) plan.messages.push({ op, items: batch });
  };
  add('upsert_categories', upsertCategories, ITEMS_PER_MESSAGE);
  add(
    'upsert_dishes',
    upsertDishes,
    Math.max(limits.dishesPerCall, Math.min(ITEMS_PER_MESSAGE, limits.dishesPerCall * 10)),
  );
  add('update_prices', priceUpdates, limits.pricesPerCall);
  add('delete_dishes', deleteDishes, ITEMS_PER_MESSAGE);
  add('delete_categories', deleteCategories, ITEMS_PER_MESSAGE);

  plan.calls =
    upsertCategories.length +
    Math.ceil(upsertDishes.length / limits.dishesPerCall) * limits.callsPerDishBatch +
    Math.ceil(priceUpdates.length / limits.pricesPerCall) +
    deleteDishes.length +
    deleteCategories.length;
  plan.changes = {
    categories: upsertCategories.length,
    dishes: upsertDishes.length,
    prices: priceUpdates.length,
    deletions: deleteDishes.length + deleteCategories.length,
  };
  return plan;
}
