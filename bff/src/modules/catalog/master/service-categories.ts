import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import type { CategoryCreate, CategoryUpdate, CategoryView } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { MenuVersions } from '../menu-versions';
import { duplicateError } from './db-errors';
import { CatalogMasterRepo, type CategoryRow } from './repo-master';

function toCategoryView(c: CategoryRow): CategoryView {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    sortOrder: c.sort_order,
    storePriceRange: c.store_adjust_kind
      ? { kind: c.store_adjust_kind, min: c.store_adjust_min, max: c.store_adjust_max }
      : null,
    status: c.status,
  };
}

/**
 * The master menu's categories: their order, and the range stores may adjust prices in. Writes are
 * one transaction each and bump the brand's menu version.
 */
export class CatalogCategoryService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly versions: MenuVersions,
  ) {}

  private async write<T>(brandId: string, work: (repo: CatalogMasterRepo) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.db.transaction().execute((trx) => work(new CatalogMasterRepo(trx)));
    } catch (err) {
      throw duplicateError(err) ?? err;
    }
    await this.versions.bumpBrand(brandId);
    return result;
  }

  async listCategories(brandId: string): Promise<CategoryView[]> {
    return (await new CatalogMasterRepo(this.db).listCategories(brandId)).map(toCategoryView);
  }

  async createCategory(brandId: string, input: CategoryCreate): Promise<CategoryView> {
    const now = this.clock.now();
    const id = newId(now);
    await this.write(brandId, async (repo) => {
      if (await repo.categoryByCode(brandId, input.code)) {
        throw new AppError('CODE_TAKEN', 409, `category code ${input.code} is already used`);
      }
      await repo.insertCategory({
        id,
        brand_id: brandId,
        code: input.code,
        name: input.name,
        sort_order: input.sortOrder,
        store_adjust_kind: input.storePriceRange?.kind ?? null,
        store_adjust_min: input.storePriceRange?.min ?? 0,
        store_adjust_max: input.storePriceRange?.max ?? 0,
        status: 'active',
        created_at: now,
        updated_at: now,
      });
    });
    return this.category(brandId, id);
  }

  async updateCategory(brandId: string, id: string, input: CategoryUpdate): Promise<CategoryView> {
    await this.write(brandId, async (repo) => {
      await this.mustCategory(repo, brandId, id);
      await repo.updateCategory(id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
        ...(input.storePriceRange !== undefined
          ? {
              store_adjust_kind: input.storePriceRange?.kind ?? null,
              store_adjust_min: input.storePriceRange?.min ?? 0,
              store_adjust_max: input.storePriceRange?.max ?? 0,
            }
          : {}),
        updated_at: this.clock.now(),
      });
    });
    return this.category(brandId, id);
  }

  async archiveCategory(brandId: string, id: string): Promise<CategoryView> {
    await this.write(brandId, async (repo) => {
      await this.mustCategory(repo, brandId, id);
      await repo.updateCategory(id, { status: 'archived', updated_at: this.clock.now() });
    });
    return this.category(brandId, id);
  }

  async category(brandId: string, id: string): Promise<CategoryView> {
    return toCategoryView(await this.mustCategory(new CatalogMasterRepo(this.db), brandId, id));
  }

  private async mustCategory(repo: CatalogMasterRepo, brandId: string, id: string): Promise<CategoryRow> {
    const row = await repo.categoryById(brandId, id);
    if (!row) throw errors.notFound('category');
    return row;
  }
}
