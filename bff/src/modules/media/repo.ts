import type { Database } from 'db';
import { upsert } from 'db';
import type { Kysely } from 'kysely';

export interface StoredMedia {
  id: string;
  brandId: string;
  contentType: string;
  bytes: Buffer;
}

/** Images the BFF stores (dish photos), one row each, deduplicated by content hash per brand. */
export class MediaRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<StoredMedia | undefined> {
    const row = await this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, brandId: row.brand_id, contentType: row.content_type, bytes: Buffer.from(row.bytes) };
  }

  /** Stores the image unless the brand has the same bytes already; answers the id it is kept under. */
  async put(m: StoredMedia, sha256: string, now: number): Promise<string> {
    await upsert(
      this.db,
      'media',
      { id: m.id, brand_id: m.brandId, content_type: m.contentType, bytes: m.bytes, sha256, created_at: now },
      ['brand_id', 'sha256'],
      [],
    );
    const row = await this.db
      .selectFrom('media')
      .select('id')
      .where('brand_id', '=', m.brandId)
      .where('sha256', '=', sha256)
      .executeTakeFirstOrThrow();
    return row.id;
  }
}
