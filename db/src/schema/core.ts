import type { Generated } from 'kysely';

/**
 * Column conventions (both dialects): ids are ULID strings; times are epoch milliseconds in
 * BIGINT columns (UTC by construction); money is BIGINT fen; booleans are 0/1 integers; JSON is
 * text holding a JSON document, parsed by the repo that owns the table.
 */

export interface BrandTable {
  id: string;
  code: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface RegionTable {
  id: string;
  brand_id: string;
  code: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface StoreTable {
  id: string;
  brand_id: string;
  region_id: string;
  /** Our store code, e.g. SH001. Also Meituan's ePoiId / app_poi_code by default. */
  code: string;
  name: string;
  address: string;
  phone: string | null;
  timezone: string;
  /** JSON: BusinessHours from shared-types. */
  business_hours: string;
  lat: number | null;
  lng: number | null;
  /** Meituan's identity of this store on our side (ePoiId on open-cater, app_poi_code on waimaiopen). */
  meituan_app_poi_code: string | null;
  /** Ele.me's numeric store id (shopId), kept as text. */
  eleme_shop_id: string | null;
  /** Our external store id as registered with Ele.me (openId). */
  eleme_open_id: string | null;
  status: 'active' | 'closed';
  /** How many days ahead members may order for pickup (0: only while the store is open). */
  preorder_days: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface StaffTable {
  id: string;
  brand_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: 'hq_admin' | 'region_manager' | 'store_manager' | 'clerk';
  /** Set for store-scoped roles (store_manager, clerk). */
  store_id: string | null;
  status: 'active' | 'disabled';
  /** Bumped to revoke every token issued before (password change, disable). */
  token_version: number;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Regions a region-scoped staff member covers. */
export interface StaffRegionTable {
  staff_id: string;
  region_id: string;
}

/**
 * One row per idempotent request: a client retry with the same key replays the stored answer;
 * the same key with a different request is refused.
 */
export interface IdempotencyRecordTable {
  scope: string;
  idem_key: string;
  request_hash: string;
  state: 'pending' | 'done';
  response_status: number | null;
  response_body: string | null;
  /** While pending, another attempt may take over after this time (the first one died). */
  locked_until: number;
  created_at: number;
  expires_at: number;
}

/** Outbound work (platform calls, cache invalidation fan-out) written in the same transaction as the change that causes it. */
export interface OutboxTable {
  id: string;
  topic: string;
  /** When set, a second insert with the same key is a no-op (the work is already queued). */
  dedupe_key: string | null;
  /** What the work is about (store id, order id…), for listing and ordering. */
  aggregate_id: string | null;
  payload: string;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  next_attempt_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
}

export interface CoreTables {
  brand: BrandTable;
  region: RegionTable;
  store: StoreTable;
  staff: StaffTable;
  staff_region: StaffRegionTable;
  idempotency_record: IdempotencyRecordTable;
  outbox: OutboxTable;
  media: MediaTable;
}

/** An image the BFF stores and serves at `/media/:id` (dish photos; the demo seed's art). */
export interface MediaTable {
  id: string;
  brand_id: string;
  content_type: string;
  bytes: Buffer;
  /** The content's hash: the same image uploaded twice is stored once. */
  sha256: string;
  created_at: number;
}

export type { Generated };
