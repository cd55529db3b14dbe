import { type Database, insertIfAbsent, upsert } from 'db';
import type { Kysely, Selectable } from 'kysely';

export type MemberRow = Selectable<Database['member']>;

/** Queries for the member tables only. */
export class MemberRepo {
  constructor(private readonly db: Kysely<Database>) {}

  byId(id: string): Promise<MemberRow | undefined> {
    return this.db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byOpenid(brandId: string, openid: string): Promise<MemberRow | undefined> {
    return this.db
      .selectFrom('member')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('openid', '=', openid)
      .executeTakeFirst();
  }

  byUnionid(brandId: string, unionid: string): Promise<MemberRow | undefined> {
    return this.db
      .selectFrom('member')
      .selectAll()
      .where('brand_id', '=', brandId)
      .where('unionid', '=', unionid)
      .orderBy('created_at')
      .executeTakeFirst();
  }

  /** Creates the member unless one with this openid exists (two first sign-ins racing make one). */
  insertIfAbsent(row: MemberRow): Promise<boolean> {
    return insertIfAbsent(this.db, 'member', row, ['brand_id', 'openid']);
  }

  async touchLogin(id: string, unionid: string | null, now: number): Promise<void> {
    await this.db
      .updateTable('member')
      .set((eb) => ({
        last_login_at: now,
        updated_at: now,
        unionid: unionid ?? eb.ref('unionid'),
      }))
      .where('id', '=', id)
      .execute();
  }

  async saveSessionKey(memberId: string, sealed: string, now: number): Promise<void> {
    await upsert(
      this.db,
      'member_wechat_session',
      { member_id: memberId, session_key_enc: sealed, updated_at: now },
      ['member_id'],
      ['session_key_enc', 'updated_at'],
    );
  }

  async sessionKey(memberId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('member_wechat_session')
      .select('session_key_enc')
      .where('member_id', '=', memberId)
      .executeTakeFirst();
    return row?.session_key_enc ?? null;
  }

  /** The deployment's brand: one mini-program (one appid) belongs to one brand. */
  async soleBrandId(): Promise<string | null> {
    const rows = await this.db.selectFrom('brand').select('id').orderBy('created_at').limit(2).execute();
    return rows.length === 1 ? (rows[0]?.id ?? null) : null;
  }
}
