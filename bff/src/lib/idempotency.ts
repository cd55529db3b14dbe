import { createHash } from 'node:crypto';
import { affected, type Database, insertIfAbsent } from 'db';
import type { Kysely } from 'kysely';
import type { Clock } from './clock';
import { AppError } from './errors';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** How long a first attempt may run before a retry may take over (it is presumed dead), by default. */
export const IDEMPOTENCY_LEASE_MS = 30_000;
/** How long a key is remembered. */
const KEEP_MS = 7 * 24 * 3600_000;

/** A stable hash of a request, so a key reused with a different request is recognised. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Client retries with an `Idempotency-Key`: the first request that succeeds runs once, later ones
 * get its stored answer. The same key with a different request is refused (422), and a key whose
 * first request is still running gets 409. A refused request keeps nothing under its key. If the first attempt died, a retry takes over after the lease; the
 * work it runs must itself be idempotent (keyed in the domain), so a half-done first attempt is
 * completed, not repeated.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly leaseMs = IDEMPOTENCY_LEASE_MS,
  ) {}

  async run(
    scope: string,
    key: string,
    request: unknown,
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (!/^[\x21-\x7e]{8,128}$/.test(key)) {
      throw new AppError('BAD_REQUEST', 400, 'Idempotency-Key must be 8–128 visible ASCII characters');
    }
    const hash = requestHash(request);
    const now = this.clock.now();
    const inserted = await insertIfAbsent(
      this.db,
      'idempotency_record',
      {
        scope,
        idem_key: key,
        request_hash: hash,
        state: 'pending',
        response_status: null,
        response_body: null,
        locked_until: now + this.leaseMs,
        created_at: now,
        expires_at: now + KEEP_MS,
      },
      ['scope', 'idem_key'],
    );
    if (!inserted) {
      const row = await this.db
        .selectFrom('idempotency_record')
        .selectAll()
        .where('scope', '=', scope)
        .where('idem_key', '=', key)
        .executeTakeFirstOrThrow();
      if (row.request_hash !== hash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 422, 'this Idempotency-Key was used for a different request');
      }
      if (row.state === 'done') {
        const status = row.response_status ?? 200;
        const body = JSON.parse(row.response_body ?? 'null');
        if (status >= 400) {
          const e = (body as { error: { code: string; message: string; details?: unknown } }).error;
          throw new AppError(e.code, status, e.message, e.details);
        }
        return { status, body, replayed: true };
      }
      const takeover = await this.db
        .updateTable('idempotency_record')
        .set({ locked_until: now + this.leaseMs })
        .where('scope', '=', scope)
        .where('idem_key', '=', key)
        .where('state', '=', 'pending')
        .where('locked_until', '<', now)
        .executeTakeFirst();
      if (affected(takeover) !== 1) {
        throw new AppError(
          'IDEMPOTENCY_IN_PROGRESS',
          409,
          'the first request with this Idempotency-Key is still running',
        );
      }
    }
    let response: StoredResponse;
    try {
      response = await work();
    } catch (err) {
      // A refusal leaves no row behind (bad input changes nothing), and neither does a crash: either
      // way the key is free again, and a retry runs the request anew (the domain keys its own
      // writes, so a half-done first attempt is completed, not repeated).
      await this.db.deleteFrom('idempotency_record').where('scope', '=', scope).where('idem_key', '=', key).execute();
      throw err;
    }
    await this.finish(scope, key, response);
    return { ...response, replayed: false };
  }

  private async finish(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_record')
      .set({ state: 'done', response_status: response.status, response_body: JSON.stringify(response.body) })
      .where('scope', '=', scope)
      .where('idem_key', '=', key)
      .execute();
  }

  /** Forgets keys past their keeping time; run by a periodic job. */
  async purgeExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('idempotency_record')
      .where('expires_at', '<', this.clock.now())
      .executeTakeFirst();
    return affected(result);
  }
}
