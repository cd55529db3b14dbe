import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { AuditFinding, AuditResponse, Platform } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import type { Logger } from '../../../logger';
import type { StoreRow } from '../../stores/repo';
import type { StoreService } from '../../stores/service';
import { buildEffectiveMenu, type MasterMenu } from '../pricing/effective-menu';
import { MenuReadRepo } from '../pricing/repo-menu';
import type { CatalogPriceService } from '../pricing/service-prices';
import { type ChannelDishDoc, channelDocs, type PlatformDishSnapshot, type PlatformMenuClients } from './platform-menu';
import { PLATFORMS } from './publish';
import { SyncRepo } from './repo-sync';
import type { MappingService } from './service-mapping';
import type { StoreBindings } from './store-bindings';
import { describeFailure } from './sync-errors';

type Finding = Omit<AuditFinding, 'storeId' | 'storeCode' | 'platform'>;

/** Differences between a dish on the platform and the dish we last published there (someone edited it on the platform). */
function drift(published: ChannelDishDoc, actual: PlatformDishSnapshot): string[] {
  const out: string[] = [];
  if (actual.categoryName !== published.categoryName)
    out.push(`category "${actual.categoryName}" instead of "${published.categoryName}"`);
  if (actual.description !== published.description) out.push('description changed');
  for (const sku of published.skus) {
    const there = actual.skus.find((s) => s.code === sku.code);
    if (!there) continue;
    if (there.price !== sku.price) out.push(`${sku.code} price ${there.price} fen instead of ${sku.price}`);
    if (there.packagingFee !== sku.packagingFee) {
      out.push(`${sku.code} packaging ${there.packagingFee} fen instead of ${sku.packagingFee}`);
    }
  }
  return out;
}

/** Compares one store's menu on one platform (read back through its client) with ours. */
function compare(
  expected: ChannelDishDoc[],
  published: Map<string, ChannelDishDoc>,
  snapshot: PlatformDishSnapshot[],
  productOfSku: Map<string, string>,
): Finding[] {
  const findings: Finding[] = [];
  // Ele.me keeps our codes on the specs only: a dish is ours by its specs' codes.
  const dishes = snapshot.map((d) => ({
    ...d,
    code: d.code ?? d.skus.map((s) => (s.code ? productOfSku.get(s.code) : undefined)).find(Boolean) ?? null,
  }));
  const byCode = new Map(dishes.filter((d) => d.code).map((d) => [d.code as string, d]));
  for (const doc of expected) {
    const actual = byCode.get(doc.code);
    byCode.delete(doc.code);
    if (!actual) {
      findings.push({
        kind: 'missing_on_platform',
        code: doc.code,
        message: `${doc.name} is on our menu but not on the platform`,
      });
      continue;
    }
    if (actual.name !== doc.name) {
      findings.push({
        kind: 'name_mismatch',
        code: doc.code,
        message: `${doc.code} is named "${actual.name}" on the platform and "${doc.name}" in the master menu`,
        expected: doc.name,
        actual: actual.name,
      });
    }
    const missingSpecs = doc.skus.filter((s) => !actual.skus.some((a) => a.code === s.code));
    if (missingSpecs.length) {
      findings.push({
        kind: 'missing_spec',
        code: doc.code,
        message: `${doc.name} lacks spec ${missingSpecs.map((s) => `${s.spec} (${s.code})`).join(', ')} on the platform`,
        expected: missingSpecs.map((s) => s.code),
      });
    }
    for (const group of actual.addons ? doc.addons : []) {
      const there = actual.addons?.find((a) => a.name === group.name);
      const missing = group.options.filter((o) => !there?.options.includes(o.name)).map((o) => o.name);
      if (missing.length) {
        findings.push({
          kind: 'missing_addon',
          code: doc.code,
          message: `${doc.name} lacks ${group.name}: ${missing.join(', ')} on the platform`,
          expected: missing,
        });
      }
    }
    const last = published.get(doc.code);
    const changes = last ? drift(last, actual) : [];
    if (changes.length) {
      findings.push({
        kind: 'drift',
        code: doc.code,
        message: `${doc.name} changed on the platform since we published it: ${changes.join('; ')}`,
      });
    }
  }
  for (const extra of byCode.values()) {
    findings.push({
      kind: 'extra_on_platform',
      code: extra.code,
      message: `${extra.name} is on the platform but not on our menu`,
    });
  }
  for (const d of dishes.filter((x) => !x.code)) {
    findings.push({
      kind: 'extra_on_platform',
      code: d.platformItemId,
      message: `${d.name} (platform item ${d.platformItemId}) carries none of our codes`,
    });
  }
  return findings;
}

/**
 * `GET /api/admin/catalog/audit`: finds by itself what is inconsistent between the master menu
 * and the platforms: dishes named differently, specs or add-ons missing, menus that drifted from
 * what we published (read back from the platforms), prices outside their range, unmapped items.
 */
export class CatalogAudit {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly stores: StoreService,
    private readonly bindings: StoreBindings,
    private readonly clients: PlatformMenuClients,
    private readonly prices: CatalogPriceService,
    private readonly mapping: MappingService,
    private readonly logger: Logger,
  ) {}

  async run(
    brandId: string,
    scope: string[] | 'all',
    query: { storeId?: string; platform?: Platform },
  ): Promise<AuditResponse> {
    const views = (await this.stores.listInScope(brandId, scope)).filter(
      (s) => !query.storeId || s.id === query.storeId,
    );
    const stores = await Promise.all(views.map((v) => this.stores.get(v.id)));
    const master = await new MenuReadRepo(this.db).loadMaster(brandId);
    const findings: AuditFinding[] = [];
    for (const store of stores) {
      for (const platform of PLATFORMS) {
        if (query.platform && query.platform !== platform) continue;
        const base = { storeId: store.id, storeCode: store.code, platform };
        for (const f of await this.platformFindings(master, store, platform)) findings.push({ ...base, ...f });
      }
    }
    const ids = stores.map((s) => s.id);
    for (const { row, view } of await this.prices.edges(brandId, ids)) {
      if (view.position !== 'outside') continue;
      const store = stores.find((s) => s.id === row.storeId);
      findings.push({
        kind: 'price_out_of_range',
        storeId: row.storeId,
        storeCode: store?.code ?? '',
        platform: null,
        code: row.skuCode,
        message: `${row.productName} (${row.skuCode}) is adjusted by ${row.value} ${row.kind === 'percent' ? 'basis points' : 'fen'}, outside ${row.categoryCode}’s range ${row.rangeMin}…${row.rangeMax}`,
        expected: { min: row.rangeMin, max: row.rangeMax, kind: row.rangeKind },
        actual: { value: row.value, kind: row.kind },
      });
    }
    for (const p of await this.mapping.problems(brandId, ids)) {
      if (query.platform && p.platform !== query.platform) continue;
      if (p.kind === 'unmapped' && p.message.endsWith('never published to this platform')) continue;
      findings.push({
        kind: p.kind === 'conflict' ? 'mapping_conflict' : p.kind === 'stale' ? 'stale_mapping' : 'unmapped',
        storeId: p.storeId,
        storeCode: p.storeCode,
        platform: p.platform,
        code: p.skuCodes.join(','),
        message: p.message,
      });
    }
    return { checkedAt: this.clock.now(), stores: stores.length, findings };
  }

  private async platformFindings(master: MasterMenu, store: StoreRow, platform: Platform): Promise<Finding[]> {
    const client = this.clients[platform];
    const target = await this.bindings.platformStore(store, platform);
    if (!client || !target) return [];
    const rows = await new SyncRepo(this.db).items(store.id, platform);
    const published = new Map<string, ChannelDishDoc>();
    for (const r of rows) {
      if (r.kind === 'dish' && r.accepted_doc) {
        const doc = JSON.parse(r.accepted_doc) as ChannelDishDoc;
        published.set(doc.code, doc);
      }
    }
    if (published.size === 0) {
      return [
        { kind: 'not_published', code: null, message: `nothing has been published to ${platform} for this store yet` },
      ];
    }
    let snapshot: Awaited<ReturnType<typeof client.readMenu>>;
    const addonsFor = [...published.values()].filter((d) => d.addons.length > 0).map((d) => d.code);
    try {
      snapshot = await client.readMenu(target, { addonsFor });
    } catch (err) {
      this.logger.warn(
        { platform, storeId: store.id, err: describeFailure(err) },
        'audit could not read a platform menu',
      );
      return [
        {
          kind: 'platform_unreachable',
          code: null,
          message: `could not read the ${platform} menu: ${describeFailure(err)}`,
        },
      ];
    }
    const expected = channelDocs(
      buildEffectiveMenu(master, await new MenuReadRepo(this.db).loadCarry(store.id), platform),
    );
    const productOfSku = new Map(master.products.flatMap((p) => p.skus.map((k) => [k.code, p.code] as const)));
    return compare(expected.dishes, published, snapshot.dishes, productOfSku);
  }
}
