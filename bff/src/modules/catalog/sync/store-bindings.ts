import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Platform, StoreBindingView } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { SecretBox } from '../../../lib/secret-box';
import type { Logger } from '../../../logger';
import type { StoreRow } from '../../stores/repo';
import type { StoreService } from '../../stores/service';
import type { CatalogLookup } from '../pricing/lookup';
import type { PlatformStore } from './platform-menu';
import { MappingRepo } from './repo-mapping';

export interface StorePlatformSettings {
  meituanGateway: 'open-cater' | 'waimaiopen';
  /**
   * Builds the signed link to Meituan's store-map page (门店映射) for a store; null when Meituan is
   * not configured. Injected (channels/meituan) so the module does not depend on a channel.
   */
  storeMapLink: ((store: { ePoiId: string; ePoiName: string }, timestampMs: number) => string) | null;
  /** Verifies the signature of a Meituan callback's decoded form fields. */
  verifyMeituanCallback: (fields: Record<string, string>) => boolean;
}

/**
 * Which stores are bound to which platform, and with what. Meituan (open-cater): the store-map
 * binding gives one `appAuthToken` per store (kept encrypted); no token, no menu sync — the store
 * shows "not bound". Meituan (waimaiopen): the merchant app is authorised for its app_poi_codes,
 * so a store with one is bound. Ele.me: the shop's binding row names its shopId; the token is the
 * app's, from the OAuth helper.
 */
export class StoreBindings {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly lookup: CatalogLookup,
    private readonly stores: StoreService,
    private readonly settings: StorePlatformSettings,
    private readonly logger: Logger,
  ) {}

  async isBound(storeId: string, platform: Platform): Promise<boolean> {
    const store = await this.stores.find(storeId);
    return store ? (await this.platformStore(store, platform)) !== null : false;
  }

  /** What a platform client needs to act for this store, or null when the store is not bound. */
  async platformStore(store: StoreRow, platform: Platform): Promise<PlatformStore | null> {
    if (platform === 'meituan' && this.settings.meituanGateway === 'waimaiopen') {
      return store.meituan_app_poi_code
        ? { storeId: store.id, storeCode: store.meituan_app_poi_code, platformStoreId: null, token: null }
        : null;
    }
    let binding: Awaited<ReturnType<CatalogLookup['binding']>>;
    try {
      binding = await this.lookup.binding(store.id, platform);
    } catch (err) {
      // A token sealed under another DATA_ENCRYPTION_KEY cannot be used: the store must be bound again.
      this.logger.warn({ storeId: store.id, platform, err: (err as Error).message }, 'store binding cannot be opened');
      return null;
    }
    if (!binding) return null;
    if (platform === 'meituan') {
      if (!binding.token) return null;
      return {
        storeId: store.id,
        storeCode: store.meituan_app_poi_code ?? store.code,
        platformStoreId: binding.platformStoreId,
        token: binding.token,
      };
    }
    const shopId = binding.platformStoreId ?? store.eleme_shop_id;
    return shopId ? { storeId: store.id, storeCode: store.code, platformStoreId: shopId, token: null } : null;
  }

  async list(brandId: string, storeIds: string[] | 'all'): Promise<StoreBindingView[]> {
    const stores = await this.stores.listInScope(brandId, storeIds);
    const rows = await new MappingRepo(this.db).bindings(stores.map((s) => s.id));
    const out: StoreBindingView[] = [];
    for (const s of stores) {
      for (const platform of ['meituan', 'eleme'] as const) {
        const row = rows.find((r) => r.store_id === s.id && r.platform === platform);
        const store = await this.stores.get(s.id);
        const usable = (await this.platformStore(store, platform)) !== null;
        out.push({
          storeId: s.id,
          platform,
          status: usable ? 'bound' : row ? 'unbound' : 'never',
          platformStoreId: row?.platform_store_id ?? null,
          platformStoreName: row?.platform_store_name ?? null,
          boundAt: row?.bound_at ?? null,
        });
      }
    }
    return out;
  }

  /**
   * The link that sends a merchant to Meituan's store-map page for this store. Signed with the
   * open-cater SHA-1 rule; per Meituan's 2019 notice the page's sign takes no `charset` and a
   * timestamp in milliseconds.
   */
  storemapUrl(store: StoreRow): string {
    const link = this.settings.storeMapLink;
    if (!link)
      throw new AppError(
        'PLATFORM_NOT_BOUND',
        409,
        'Meituan is not configured (MEITUAN_DEVELOPER_ID / MEITUAN_SIGN_KEY)',
      );
    return link({ ePoiId: store.meituan_app_poi_code ?? store.code, ePoiName: store.name }, this.clock.now());
  }

  /** Meituan's bind callback: verified, the token kept encrypted. Idempotent. */
  async bindMeituan(fields: Record<string, string>): Promise<void> {
    this.verify(fields);
    const store = await this.stores.findByMeituanPoiCode(fields.ePoiId ?? '');
    if (!store || !fields.appAuthToken)
      throw errors.unprocessable('UNKNOWN_STORE', 'no store with this ePoiId, or no token');
    await new MappingRepo(this.db).bind({
      store_id: store.id,
      platform: 'meituan',
      auth_token_enc: this.secrets.seal(fields.appAuthToken),
      platform_store_id: fields.poiId || null,
      platform_store_name: fields.poiName || null,
      now: this.clock.now(),
    });
    this.logger.info({ storeId: store.id, poiId: fields.poiId }, 'store bound to Meituan');
  }

  /** Meituan's unbind callback: the token is dropped; the store shows "not bound" until bound again. */
  async unbindMeituan(fields: Record<string, string>): Promise<void> {
    this.verify(fields);
    const store = await this.stores.findByMeituanPoiCode(fields.ePoiId ?? '');
    if (!store) return;
    await new MappingRepo(this.db).unbind(store.id, 'meituan', this.clock.now());
    this.logger.info({ storeId: store.id }, 'store unbound from Meituan');
  }

  /** Marks an Ele.me shop bound once its token works (the app's token comes from the OAuth helper). */
  async bindEleme(store: StoreRow, shopName: string | null): Promise<void> {
    if (!store.eleme_shop_id) throw errors.unprocessable('UNKNOWN_STORE', 'this store has no Ele.me shopId');
    await new MappingRepo(this.db).bind({
      store_id: store.id,
      platform: 'eleme',
      auth_token_enc: null,
      platform_store_id: store.eleme_shop_id,
      platform_store_name: shopName,
      now: this.clock.now(),
    });
  }

  private verify(fields: Record<string, string>): void {
    if (!this.settings.verifyMeituanCallback(fields)) {
      throw new AppError('SIGNATURE_INVALID', 401, 'the callback signature does not verify');
    }
  }
}
