import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import {
  Channel,
  type ChannelPriceRuleSet,
  type ChannelPriceRuleView,
  type ChannelPriceTarget,
  type StorePriceAdjustmentSet,
  type StorePriceAdjustmentView,
} from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { MenuVersions } from '../menu-versions';
import { adjustmentInRangeUnit, type ChannelRule, checkAdjustment, effectivePrice } from './pricing';
import { type AdjustmentRow, type ChannelRuleRow, PriceRepo } from './repo-prices';

function targetKey(target: ChannelPriceTarget): string {
  switch (target.scope) {
    case 'menu':
      return '*';
    case 'category':
      return `category:${target.categoryId}`;
    case 'sku':
      return `sku:${target.skuId}`;
  }
}

function parseTarget(key: string): ChannelPriceTarget {
  if (key.startsWith('category:')) return { scope: 'category', categoryId: key.slice('category:'.length) };
  if (key.startsWith('sku:')) return { scope: 'sku', skuId: key.slice('sku:'.length) };
  return { scope: 'menu' };
}

function toRuleView(r: ChannelRuleRow): ChannelPriceRuleView {
  return { id: r.id, channel: r.channel, target: parseTarget(r.target), kind: r.kind, value: Number(r.value) };
}

/** Where an adjustment sits in its category's range: inside, on an edge, or outside (the range moved since). */
export function rangePosition(
  row: Pick<AdjustmentRow, 'kind' | 'value' | 'basePrice' | 'rangeKind' | 'rangeMin' | 'rangeMax'>,
) {
  const range = { kind: row.rangeKind, min: row.rangeMin, max: row.rangeMax };
  const check = checkAdjustment({ kind: row.kind, value: row.value }, range, row.basePrice);
  if (!check.ok) return 'outside' as const;
  if (!check.atEdge) return 'inside' as const;
  return adjustmentInRangeUnit({ kind: row.kind, value: row.value }, range, row.basePrice) === range.min
    ? ('min' as const)
    : ('max' as const);
}

/**
 * Prices: HQ's channel overrides (whole menu, category or SKU; the most specific wins) and
 * stores' own adjustments, which must stay inside the range HQ set for the category.
 */
export class CatalogPriceService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly versions: MenuVersions,
  ) {}

  async listRules(brandId: string): Promise<ChannelPriceRuleView[]> {
    return (await new PriceRepo(this.db).rules(brandId)).map(toRuleView);
  }

  async setRule(brandId: string, input: ChannelPriceRuleSet): Promise<ChannelPriceRuleView> {
    const repo = new PriceRepo(this.db);
    if (input.target.scope === 'category' && !(await repo.targetExists(brandId, 'category', input.target.categoryId))) {
      throw errors.unprocessable('UNKNOWN_CATEGORY', 'no category with this id');
    }
    if (input.target.scope === 'sku' && !(await repo.targetExists(brandId, 'sku', input.target.skuId))) {
      throw errors.unprocessable('UNKNOWN_SKU', 'no SKU with this id');
    }
    const now = this.clock.now();
    const target = targetKey(input.target);
    await repo.upsertRule({
      id: newId(now),
      brand_id: brandId,
      channel: input.channel,
      target,
      kind: input.kind,
      value: input.value,
      created_at: now,
      updated_at: now,
    });
    await this.versions.bumpBrand(brandId);
    const saved = (await repo.rules(brandId)).find((r) => r.channel === input.channel && r.target === target);
    return toRuleView(saved as ChannelRuleRow);
  }

  async deleteRule(brandId: string, id: string): Promise<void> {
    const repo = new PriceRepo(this.db);
    if (!(await repo.ruleById(brandId, id))) throw errors.notFound('channel price rule');
    await repo.deleteRule(id);
    await this.versions.bumpBrand(brandId);
  }

  /** Sets a store's adjustment of one SKU. Outside the category's range: 422 PRICE_OUT_OF_RANGE, nothing changed. */
  async setAdjustment(
    brandId: string,
    storeId: string,
    skuId: string,
    input: StorePriceAdjustmentSet,
    staffId: string,
  ): Promise<StorePriceAdjustmentView> {
    const repo = new PriceRepo(this.db);
    const sku = await repo.skuWithRange(brandId, skuId);
    if (!sku) throw errors.notFound('SKU');
    const range = { kind: sku.rangeKind, min: sku.rangeMin, max: sku.rangeMax };
    const check = checkAdjustment(input, range, Number(sku.basePrice));
    if (!check.ok) {
      const unit = range.kind === 'amount' ? 'fen' : 'basis points';
      throw new AppError(
        'PRICE_OUT_OF_RANGE',
        422,
        range.kind === null
          ? `stores may not adjust prices in this category`
          : `the adjustment is ${check.value} ${unit}; this category allows ${check.min} to ${check.max} ${unit}`,
        { skuCode: sku.code, value: check.value, min: check.min, max: check.max, unit: range.kind },
      );
    }
    await repo.upsertAdjustment({
      store_id: storeId,
      sku_id: skuId,
      kind: input.kind,
      value: input.value,
      updated_by: staffId,
      updated_at: this.clock.now(),
    });
    await this.versions.bumpStores([storeId]);
    const [view] = await this.views(brandId, await repo.adjustments(brandId, [storeId], skuId));
    return view as StorePriceAdjustmentView;
  }

  async deleteAdjustment(storeId: string, skuId: string): Promise<void> {
    if ((await new PriceRepo(this.db).deleteAdjustment(storeId, skuId)) === 0) {
      throw errors.notFound('price adjustment');
    }
    await this.versions.bumpStores([storeId]);
  }

  async listAdjustments(brandId: string, storeId: string): Promise<StorePriceAdjustmentView[]> {
    return this.views(brandId, await new PriceRepo(this.db).adjustments(brandId, [storeId]));
  }

  /** Adjustments on an edge of their category's range, or outside it, at the stores given. */
  async edges(
    brandId: string,
    storeIds: string[] | 'all',
  ): Promise<{ row: AdjustmentRow; view: StorePriceAdjustmentView }[]> {
    return (await this.adjustmentsAt(brandId, storeIds)).filter(({ view }) => view.position !== 'inside');
  }

  /** Every adjustment at the stores given, with its base price, range and effective prices. */
  async adjustmentsAt(
    brandId: string,
    storeIds: string[] | 'all',
  ): Promise<{ row: AdjustmentRow; view: StorePriceAdjustmentView }[]> {
    const rows = await new PriceRepo(this.db).adjustments(brandId, storeIds);
    const views = await this.views(brandId, rows);
    return rows.map((row, i) => ({ row, view: views[i] as StorePriceAdjustmentView }));
  }

  private async views(brandId: string, rows: AdjustmentRow[]): Promise<StorePriceAdjustmentView[]> {
    const rules = await new PriceRepo(this.db).rules(brandId);
    const byChannel = new Map<string, ChannelRule[]>();
    for (const r of rules) {
      byChannel.set(r.channel, [
        ...(byChannel.get(r.channel) ?? []),
        { target: r.target, kind: r.kind, value: Number(r.value) },
      ]);
    }
    return rows.map((r) => {
      const prices = Object.fromEntries(
        Channel.options.map((c) => [
          c,
          effectivePrice({ skuId: r.skuId, categoryId: r.categoryId, basePrice: r.basePrice }, byChannel.get(c) ?? [], {
            kind: r.kind,
            value: r.value,
          }).price,
        ]),
      ) as Record<Channel, number>;
      return {
        storeId: r.storeId,
        skuId: r.skuId,
        skuCode: r.skuCode,
        kind: r.kind,
        value: r.value,
        range: r.rangeKind ? { kind: r.rangeKind, min: r.rangeMin, max: r.rangeMax } : null,
        position: rangePosition(r),
        prices,
      };
    });
  }
}
