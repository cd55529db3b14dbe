import { createHash } from 'node:crypto';
import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import type { ImportResult, ImportRowError } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError } from '../../../lib/errors';
import type { StoreService } from '../../stores/service';
import { isUniqueViolation } from '../master/db-errors';
import { CatalogMasterRepo } from '../master/repo-master';
import { StoreMenuRepo } from '../master/repo-store-menus';
import type { MenuVersions } from '../menu-versions';
import { type ImportRow, jsonColumn, rowsFromCsv, rowsFromJson } from './import-parse';

interface ProductPlan {
  first: ImportRow;
  groups: { name: string; options: string[] }[];
  rows: ImportRow[];
}

/** Checks that need the whole file: one name per code, one spec layout per dish, SKU codes unique. */
function crossCheck(rows: ImportRow[], storeCodes: Set<string>, errors: ImportRowError[]): Map<string, ProductPlan> {
  const categories = new Map<string, ImportRow>();
  const products = new Map<string, ProductPlan>();
  const skuRow = new Map<string, number>();
  for (const r of rows) {
    const cat = categories.get(r.categoryCode);
    if (cat && cat.categoryName !== r.categoryName) {
      errors.push({
        row: r.row,
        column: 'category_name',
        message: `differs from row ${cat.row} for category ${r.categoryCode}`,
      });
    } else if (!cat) categories.set(r.categoryCode, r);

    const seen = skuRow.get(r.skuCode);
    if (seen !== undefined)
      errors.push({ row: r.row, column: 'sku_code', message: `${r.skuCode} is already on row ${seen}` });
    else skuRow.set(r.skuCode, r.row);

    if (r.stores && r.stores !== '*') {
      for (const code of r.stores) {
        if (!storeCodes.has(code)) errors.push({ row: r.row, column: 'stores', message: `no store with code ${code}` });
      }
    }

    const plan = products.get(r.productCode);
    if (!plan) {
      products.set(r.productCode, {
        first: r,
        groups: r.spec.map(([g, o]) => ({ name: g, options: [o] })),
        rows: [r],
      });
      continue;
    }
    const f = plan.first;
    for (const [column, a, b] of [
      ['product_name', r.productName, f.productName],
      ['category_code', r.categoryCode, f.categoryCode],
      ['description', r.description, f.description],
      ['unit', r.unit, f.unit],
      ['tags', r.tags.join('|'), f.tags.join('|')],
      ['stores', JSON.stringify(r.stores), JSON.stringify(f.stores)],
    ] as const) {
      if (a !== b)
        errors.push({ row: r.row, column, message: `differs from row ${f.row} for product ${r.productCode}` });
    }
    const names = r.spec.map(([g]) => g).join('/');
    if (names !== plan.groups.map((g) => g.name).join('/')) {
      errors.push({
        row: r.row,
        column: 'spec',
        message: `spec groups differ from row ${f.row} for product ${r.productCode}`,
      });
      continue;
    }
    const combo = r.spec.map(([, o]) => o).join('/');
    const twin = plan.rows.find((o) => o.spec.map(([, x]) => x).join('/') === combo);
    if (twin) {
      errors.push({
        row: r.row,
        column: 'spec',
        message: `the same spec as row ${twin.row} for product ${r.productCode}`,
      });
      continue;
    }
    r.spec.forEach(([, o], i) => {
      const group = plan.groups[i];
      if (group && !group.options.includes(o)) group.options.push(o);
    });
    plan.rows.push(r);
  }
  return products;
}

/**
 * `POST /api/admin/catalog/import`: a catalog export of an existing aggregator or POS (CSV or
 * JSON, see import-parse.ts) upserted into the master menu by code. Every row is checked first;
 * one bad row refuses the whole file with every row error listed, and nothing is written. The
 * same file imported again is answered from the first import without applying anything.
 */
export class CatalogImportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly stores: StoreService,
    private readonly versions: MenuVersions,
  ) {}

  async importFile(brandId: string, format: 'csv' | 'json', raw: Buffer, by: string): Promise<ImportResult> {
    const fileHash = createHash('sha256').update(raw).digest('hex');
    const previous = await this.previous(brandId, fileHash);
    if (previous) return previous;

    let parsed: { rows: ImportRow[]; errors: ImportRowError[] };
    if (format === 'csv') parsed = rowsFromCsv(raw.toString('utf8'));
    else {
      let value: unknown;
      try {
        value = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw invalid([{ row: 0, column: '', message: `not valid JSON: ${(err as Error).message}` }]);
      }
      parsed = rowsFromJson(value);
    }
    const { rows, errors } = parsed;
    const storeRows = await this.stores.listInScope(brandId, 'all');
    const storeIdByCode = new Map(storeRows.map((s) => [s.code, s.id]));
    const products = crossCheck(rows, new Set(storeIdByCode.keys()), errors);
    if (rows.length === 0 && errors.length === 0) errors.push({ row: 0, column: '', message: 'the file has no rows' });

    const now = this.clock.now();
    const result: ImportResult = {
      importId: newId(now),
      replayed: false,
      rows: rows.length,
      created: { categories: 0, products: 0, skus: 0 },
      updated: { categories: 0, products: 0, skus: 0 },
      archivedSkus: 0,
      listings: 0,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        const repo = new CatalogMasterRepo(trx);
        // SKU codes that belong to another dish are row errors too; checked inside the transaction that writes.
        const owners = await repo.skusByCodes(
          brandId,
          rows.map((r) => r.skuCode),
        );
        const productCodeById = new Map((await repo.listProducts(brandId)).map((p) => [p.id, p.code]));
        for (const r of rows) {
          const owner = owners.find((s) => s.code === r.skuCode);
          const ownerCode = owner ? productCodeById.get(owner.product_id) : undefined;
          if (ownerCode && ownerCode !== r.productCode) {
            errors.push({
              row: r.row,
              column: 'sku_code',
              message: `${r.skuCode} already belongs to product ${ownerCode}`,
            });
          }
        }
        if (errors.length) {
          throw invalid(format === 'json' ? errors.map((e) => ({ ...e, column: jsonColumn(e.column) })) : errors);
        }
        await this.apply(trx, brandId, products, storeIdByCode, result, now, by);
        await trx
          .insertInto('catalog_import')
          .values({
            id: result.importId,
            brand_id: brandId,
            file_hash: fileHash,
            format,
            row_count: rows.length,
            summary: JSON.stringify(result),
            created_by: by,
            created_at: now,
          })
          .execute();
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const replay = await this.previous(brandId, fileHash);
        if (replay) return replay;
      }
      throw err;
    }
    await this.versions.bumpBrand(brandId);
    await this.versions.bumpStores(storeIdByCode.values());
    return result;
  }

  private async previous(brandId: string, fileHash: string): Promise<ImportResult | null> {
    const row = await this.db
      .selectFrom('catalog_import')
      .select('summary')
      .where('brand_id', '=', brandId)
      .where('file_hash', '=', fileHash)
      .executeTakeFirst();
    return row ? { ...(JSON.parse(row.summary) as ImportResult), replayed: true } : null;
  }

  private async apply(
    trx: Kysely<Database>,
    brandId: string,
    products: Map<string, ProductPlan>,
    storeIdByCode: Map<string, string>,
    result: ImportResult,
    now: number,
    by: string,
  ): Promise<void> {
    const repo = new CatalogMasterRepo(trx);
    const menus = new StoreMenuRepo(trx);
    const categoryIds = new Map<string, string>();
    let nextSort = (await repo.listCategories(brandId)).reduce((m, c) => Math.max(m, c.sort_order + 1), 0);
    for (const [pi, plan] of [...products.values()].entries()) {
      const f = plan.first;
      let categoryId = categoryIds.get(f.categoryCode);
      if (!categoryId) {
        const cat = await repo.categoryByCode(brandId, f.categoryCode);
        categoryId = cat?.id ?? newId(now);
        if (!cat) {
          await repo.insertCategory({
            id: categoryId,
            brand_id: brandId,
            code: f.categoryCode,
            name: f.categoryName,
            sort_order: nextSort++,
            store_adjust_kind: null,
            store_adjust_min: 0,
            store_adjust_max: 0,
            status: 'active',
            created_at: now,
            updated_at: now,
          });
          result.created.categories++;
        } else {
          await repo.updateCategory(cat.id, { name: f.categoryName, status: 'active', updated_at: now });
          result.updated.categories++;
        }
        categoryIds.set(f.categoryCode, categoryId);
      }
      const fields = {
        category_id: categoryId,
        name: f.productName,
        description: f.description,
        unit: f.unit,
        tags: JSON.stringify(f.tags),
        status: 'active' as const,
        updated_at: now,
      };
      const existing = await repo.productByCode(brandId, f.productCode);
      const productId = existing?.id ?? newId(now);
      if (existing) {
        await repo.updateProduct(productId, fields);
        result.updated.products++;
      } else {
        await repo.insertProduct({
          id: productId,
          brand_id: brandId,
          code: f.productCode,
          image_url: null,
          sort_order: pi,
          availability: null,
          created_at: now,
          ...fields,
        });
        result.created.products++;
      }
      const optionIds = await repo.replaceSpecGroups(productId, plan.groups, now);
      const current = new Map((await repo.skusOfProducts([productId])).map((s) => [s.code, s]));
      for (const [si, r] of plan.rows.entries()) {
        const sku = {
          spec_text: r.spec.map(([, o]) => o).join('/'),
          option_ids: JSON.stringify(r.spec.map(([g, o]) => optionIds.get(`${g}\u0000${o}`))),
          base_price: r.price,
          cost: r.cost,
          packaging_fee: r.packagingFee,
          box_count: r.boxCount,
          sort_order: si,
          status: 'active' as const,
          updated_at: now,
        };
        const had = current.get(r.skuCode);
        if (had) {
          await repo.updateSku(had.id, sku);
          current.delete(r.skuCode);
          result.updated.skus++;
        } else {
          await repo.insertSkus([
            { id: newId(now), brand_id: brandId, product_id: productId, code: r.skuCode, created_at: now, ...sku },
          ]);
          result.created.skus++;
        }
      }
      const leftover = [...current.values()].filter((s) => s.status === 'active').map((s) => s.id);
      await repo.archiveSkus(leftover, now);
      result.archivedSkus += leftover.length;
      if (f.stores) {
        const storeIds =
          f.stores === '*' ? [...storeIdByCode.values()] : f.stores.map((c) => storeIdByCode.get(c) as string);
        for (const storeId of storeIds) {
          const row = await menus.storeProduct(storeId, productId);
          await menus.setStoreProduct({
            store_id: storeId,
            product_id: productId,
            listed: 1,
            hidden: row?.hidden ?? 0,
            updated_by: by,
            updated_at: now,
          });
          result.listings++;
        }
      }
    }
  }
}

function invalid(errors: ImportRowError[]): AppError {
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  const first = sorted[0];
  return new AppError(
    'IMPORT_INVALID',
    422,
    `the file has ${errors.length} error(s); nothing was imported${first ? ` (row ${first.row}, ${first.column || 'row'}: ${first.message})` : ''}`,
    { errors: sorted },
  );
}
