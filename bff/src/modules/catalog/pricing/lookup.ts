import type { Channel } from 'shared-types';
import type { SecretBox } from '../../../lib/secret-box';
import type { CatalogLookupRepo, SkuRow } from './lookup-repo';
import { effectivePrice } from './pricing';

export type { SkuRow };

export interface PricedSku extends SkuRow {
  /** Effective price for the asked channel at this store, in fen. */
  price: number;
}

export interface AddonOptionRef {
  id: string;
  code: string;
  name: string;
  price: number;
  status: 'active' | 'archived';
  groupId: string;
  groupCode: string;
  groupName: string;
  minChoices: number;
  maxChoices: number;
}

export interface AddonGroupRef {
  groupId: string;
  groupCode: string;
  groupName: string;
  minChoices: number;
  maxChoices: number;
}

export interface PlatformIds {
  skuCode: string;
  skuId: string;
  platformItemId: string;
  platformSkuId: string;
}

/**
 * What other modules may ask the catalog: SKUs by code, what a store carries at what price, add-on
 * options, platform id mappings and store bindings. Stock, orders and menus use this service,
 * never the catalog tables.
 */
export class CatalogLookup {
  constructor(
    private readonly repo: CatalogLookupRepo,
    private readonly secrets: SecretBox,
  ) {}

  async skusByCodes(brandId: string, codes: string[]): Promise<Map<string, SkuRow>> {
    return new Map((await this.repo.skusByCodes(brandId, codes)).map((s) => [s.code, s]));
  }

  /** SKUs of the given product codes (a product-level stock row covers all of them). */
  async skusOfProducts(brandId: string, productCodes: string[]): Promise<SkuRow[]> {
    return this.repo.skusByProductCodes(brandId, productCodes);
  }

  /** The SKUs the store sells, priced for the channel; keyed by SKU code. */
  async storeMenuSkus(brandId: string, storeId: string, channel: Channel): Promise<Map<string, PricedSku>> {
    const skus = await this.repo.carriedSkus(brandId, storeId);
    return this.price(brandId, storeId, channel, skus);
  }

  /** Prices specific SKUs for a store and channel; SKUs the store does not carry are left out. */
  async pricedSkus(
    brandId: string,
    storeId: string,
    channel: Channel,
    codes: string[],
  ): Promise<Map<string, PricedSku>> {
    const wanted = new Set(codes);
    const carried = (await this.repo.carriedSkus(brandId, storeId)).filter((s) => wanted.has(s.code));
    return this.price(brandId, storeId, channel, carried);
  }

  private async price(brandId: string, storeId: string, channel: Channel, skus: SkuRow[]) {
    const [rules, adjustments] = await Promise.all([
      this.repo.channelRules(brandId, channel),
      this.repo.storeAdjustments(
        storeId,
        skus.map((s) => s.id),
      ),
    ]);
    const out = new Map<string, PricedSku>();
    for (const s of skus) {
      const { price } = effectivePrice(
        { skuId: s.id, categoryId: s.categoryId, basePrice: s.basePrice },
        rules,
        adjustments.get(s.id),
      );
      out.set(s.code, { ...s, price });
    }
    return out;
  }

  async addonOptions(brandId: string, codes: string[]): Promise<Map<string, AddonOptionRef>> {
    return new Map((await this.repo.addonOptionsByCodes(brandId, codes)).map((o) => [o.code, o]));
  }

  async addonGroupsOfProducts(productIds: string[]): Promise<Map<string, AddonGroupRef[]>> {
    const out = new Map<string, AddonGroupRef[]>();
    for (const row of await this.repo.productAddonGroups(productIds)) {
      const list = out.get(row.productId) ?? [];
      list.push(row);
      out.set(row.productId, list);
    }
    return out;
  }

  /** Platform ids of our SKUs at a store, keyed by SKU code. SKUs without a mapping are absent. */
  async platformIds(
    storeId: string,
    platform: 'meituan' | 'eleme',
    skuIds?: string[],
  ): Promise<Map<string, PlatformIds>> {
    return new Map((await this.repo.mappings(storeId, platform, skuIds)).map((m) => [m.skuCode, m]));
  }

  /** Our SKU codes for platform spec ids; a platform id claimed by two of our SKUs maps to both. */
  async skuCodesForPlatformSkus(storeId: string, platform: 'meituan' | 'eleme', platformSkuIds: string[]) {
    const out = new Map<string, string[]>();
    for (const row of await this.repo.mappingsByPlatformSku(storeId, platform, platformSkuIds)) {
      out.set(row.platformSkuId, [...(out.get(row.platformSkuId) ?? []), row.skuCode]);
    }
    return out;
  }

  /** The store's platform binding with its token decrypted, or null when not bound. */
  async binding(
    storeId: string,
    platform: 'meituan' | 'eleme',
  ): Promise<{ token: string | null; platformStoreId: string | null } | null> {
    const row = await this.repo.binding(storeId, platform);
    if (row?.status !== 'bound') return null;
    return {
      token: row.auth_token_enc ? this.secrets.open(row.auth_token_enc) : null,
      platformStoreId: row.platform_store_id,
    };
  }
}
