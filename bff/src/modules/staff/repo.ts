import type { Database, StaffTable } from 'db';
import type { Kysely, Selectable } from 'kysely';

export type StaffRow = Selectable<StaffTable>;

export class StaffRepo {
  constructor(private readonly db: Kysely<Database>) {}

  byUsername(username: string): Promise<StaffRow | undefined> {
    return this.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
  }

  byId(id: string): Promise<StaffRow | undefined> {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async regionIds(staffId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('staff_region')
      .select('region_id')
      .where('staff_id', '=', staffId)
      .orderBy('region_id')
      .execute();
    return rows.map((r) => r.region_id);
  }

  async recordLogin(staffId: string, at: number): Promise<void> {
    await this.db.updateTable('staff').set({ last_login_at: at }).where('id', '=', staffId).execute();
  }
}
