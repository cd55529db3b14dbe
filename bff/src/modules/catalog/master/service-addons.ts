import { type Database, newId } from 'db';
import type { Kysely } from 'kysely';
import type { AddonGroupCreate, AddonGroupUpdate, AddonGroupView } from 'shared-types';
import type { Clock } from '../../../lib/clock';
import { AppError, errors } from '../../../lib/errors';
import type { MenuVersions } from '../menu-versions';
import { isUniqueViolation } from './db-errors';
import { type AddonGroupRow, type AddonOptionRow, AddonRepo } from './repo-addons';
import { CatalogMasterRepo } from './repo-master';

function toView(g: AddonGroupRow, options: AddonOptionRow[]): AddonGroupView {
  return {
    id: g.id,
    code: g.code,
    name: g.name,
    minChoices: g.min_choices,
    maxChoices: g.max_choices,
    status: g.status,
    options: options
      .filter((o) => o.group_id === g.id)
      .map((o) => ({ id: o.id, code: o.code, name: o.name, price: Number(o.price), status: o.status })),
  };
}

/**
 * Add-on groups (加料 / 口味): min/max choices and priced options, attached to products.
 * Option codes are unique per brand because order lines name add-ons by code.
 */
export class CatalogAddonService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly versions: MenuVersions,
  ) {}

  private async write<T>(
    brandId: string,
    work: (repo: AddonRepo, master: CatalogMasterRepo) => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.db.transaction().execute((trx) => work(new AddonRepo(trx), new CatalogMasterRepo(trx)));
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('CODE_TAKEN', 409, 'an add-on code is already used in this brand');
      throw err;
    }
    await this.versions.bumpBrand(brandId);
    return result;
  }

  async list(brandId: string): Promise<AddonGroupView[]> {
    const repo = new AddonRepo(this.db);
    const groups = await repo.listGroups(brandId);
    const options = await repo.optionsOf(groups.map((g) => g.id));
    return groups.map((g) => toView(g, options));
  }

  async get(brandId: string, id: string): Promise<AddonGroupView> {
    const repo = new AddonRepo(this.db);
    const group = await repo.groupById(brandId, id);
    if (!group) throw errors.notFound('add-on group');
    return toView(group, await repo.optionsOf([id]));
  }

  async create(brandId: string, input: AddonGroupCreate): Promise<AddonGroupView> {
    const now = this.clock.now();
    const id = newId(now);
    await this.write(brandId, async (repo) => {
      if (await repo.groupByCode(brandId, input.code)) {
        throw new AppError('CODE_TAKEN', 409, `add-on group code ${input.code} is already used`);
      }
      await this.checkOptionCodes(
        repo,
        brandId,
        id,
        input.options.map((o) => o.code),
      );
      await repo.insertGroup({
        id,
        brand_id: brandId,
        code: input.code,
        name: input.name,
        min_choices: input.minChoices,
        max_choices: input.maxChoices,
        sort_order: 0,
        status: 'active',
        created_at: now,
        updated_at: now,
      });
      for (const [i, o] of input.options.entries()) {
        await repo.insertOption({
          id: newId(now),
          brand_id: brandId,
          group_id: id,
          code: o.code,
          name: o.name,
          price: o.price,
          sort_order: i,
          status: 'active',
        });
      }
    });
    return this.get(brandId, id);
  }

  async update(brandId: string, id: string, input: AddonGroupUpdate): Promise<AddonGroupView> {
    const now = this.clock.now();
    await this.write(brandId, async (repo) => {
      const group = await repo.groupById(brandId, id);
      if (!group) throw errors.notFound('add-on group');
      const min = input.minChoices ?? group.min_choices;
      const max = input.maxChoices ?? group.max_choices;
      if (min > max) throw errors.validation('minChoices must not exceed maxChoices');
      const current = await repo.optionsOf([id]);
      const optionCount = input.options?.length ?? current.filter((o) => o.status === 'active').length;
      if (min > optionCount) throw errors.validation('minChoices exceeds the number of options');
      await repo.updateGroup(id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        min_choices: min,
        max_choices: max,
        updated_at: now,
      });
      if (!input.options) return;
      await this.checkOptionCodes(
        repo,
        brandId,
        id,
        input.options.map((o) => o.code),
      );
      const byCode = new Map(current.map((o) => [o.code, o]));
      for (const [i, o] of input.options.entries()) {
        const existing = byCode.get(o.code);
        if (existing) {
          await repo.updateOption(existing.id, { name: o.name, price: o.price, sort_order: i, status: 'active' });
          byCode.delete(o.code);
        } else {
          await repo.insertOption({
            id: newId(now),
            brand_id: brandId,
            group_id: id,
            code: o.code,
            name: o.name,
            price: o.price,
            sort_order: i,
            status: 'active',
          });
        }
      }
      for (const left of byCode.values()) await repo.updateOption(left.id, { status: 'archived' });
    });
    return this.get(brandId, id);
  }

  /** Which add-on groups a product offers, in order. */
  async setProductGroups(brandId: string, productId: string, groupIds: string[]): Promise<void> {
    await this.write(brandId, async (repo, master) => {
      if (!(await master.productById(brandId, productId))) throw errors.notFound('product');
      const found = await repo.groupsByIds(brandId, groupIds);
      const missing = groupIds.filter((g) => !found.some((f) => f.id === g));
      if (missing.length || new Set(groupIds).size !== groupIds.length) {
        throw errors.unprocessable('UNKNOWN_ADDON_GROUP', 'an add-on group is unknown or listed twice', { missing });
      }
      await repo.setProductGroups(productId, groupIds);
    });
  }

  private async checkOptionCodes(repo: AddonRepo, brandId: string, groupId: string, codes: string[]): Promise<void> {
    const dup = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (dup.length) throw new AppError('CODE_TAKEN', 409, `add-on option code ${dup[0]} appears twice`, { codes: dup });
    const taken = (await repo.optionsByCodes(brandId, codes)).filter((o) => o.group_id !== groupId);
    if (taken.length) {
      throw new AppError('CODE_TAKEN', 409, `add-on option code ${taken[0]?.code} is used by another group`, {
        codes: taken.map((o) => o.code),
      });
    }
  }
}
