import type { Context } from 'koa';
import type { Config } from '../../config';
import { readRawBody } from '../../http/body';
import type { RouteRegistry } from '../../http/router';
import type { Clock } from '../../lib/clock';
import { parseJsonExact } from '../../lib/json-exact';
import type { Logger } from '../../logger';
import type { PushInbox } from '../../modules/orders/inbox';
import type { StoreService } from '../../modules/stores/service';
import type { PushRefusal, PushWindow } from '../push-window';
import { ElemeEnvelope, MalformedElemePush, orderKeyOf, parseWith, readElemeMessage } from './push-order';
import { verifyElemePush } from './sign';

/** Ele.me wants `{"message":"ok"}` back; anything else is a failure it will retry or pull later. */
const OK = { message: 'ok' };

export class ElemePushRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: PushRefusal = 'signature',
  ) {
    super(message);
    this.name = 'ElemePushRefused';
  }
}

/**
 * The Ele.me push receiver (`POST /webhooks/eleme`): every message type arrives here. The envelope
 * is parsed with exact integers (userId and order ids exceed 2^53 and are signed as sent),
 * verified, its store found by shopId, its message checked, recorded in the inbox (deduplicated on
 * requestId), and only then answered. GET and empty posts are probes, answered without verifying.
 */
export class ElemeInbound {
  private readonly storeCache = new Map<string, { id: string; brandId: string; at: number }>();

  constructor(
    private readonly config: Config['eleme'],
    private readonly bodyLimit: number,
    private readonly stores: StoreService,
    private readonly inbox: PushInbox,
    private readonly window: PushWindow,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  register(routes: RouteRegistry): void {
    routes.add({
      method: 'post',
      path: '/webhooks/eleme',
      summary: 'Ele.me push (every message type)',
      tags: ['webhooks'],
      auth: 'public',
      handler: async ({ ctx }) => this.receive(ctx),
    });
    routes.add({
      method: 'get',
      path: '/webhooks/eleme',
      summary: 'Ele.me’s check of the callback URL',
      tags: ['webhooks'],
      auth: 'public',
      handler: async ({ ctx }) => answer(ctx, 200, OK),
    });
  }

  async receive(ctx: Context): Promise<void> {
    const raw = await readRawBody(ctx, this.bodyLimit);
    const text = raw.toString('utf8');
    if (text.trim() === '' || text.trim() === '{}') return answer(ctx, 200, OK);
    try {
      const outcome = await this.accept(text, 'push');
      this.logger.debug({ requestId: outcome.requestId, duplicate: outcome.duplicate }, 'Ele.me push recorded');
      answer(ctx, 200, OK);
    } catch (err) {
      if (err instanceof ElemePushRefused || err instanceof MalformedElemePush) {
        const status = err instanceof ElemePushRefused ? err.status : 400;
        this.logger.warn({ reason: err.message }, 'Ele.me push refused');
        return answer(ctx, status, { message: err.message });
      }
      throw err;
    }
  }

  /**
   * Verifies and records one push (from the webhook or the compensation pull, which hands back the
   * same envelopes). Answers its requestId and whether it was already recorded.
   */
  async accept(text: string, via: 'push' | 'pull'): Promise<{ requestId: string; duplicate: boolean }> {
    try {
      return await this.record(text, via);
    } catch (err) {
      if (err instanceof ElemePushRefused) this.window.refused('eleme', err.reason);
      if (err instanceof MalformedElemePush) this.window.refused('eleme', 'malformed');
      throw err;
    }
  }

  private async record(text: string, via: 'push' | 'pull'): Promise<{ requestId: string; duplicate: boolean }> {
    let value: unknown;
    try {
      value = parseJsonExact(text);
    } catch {
      throw new MalformedElemePush('body is not valid JSON');
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new MalformedElemePush('body is not an object');
    const envelope = parseWith(ElemeEnvelope, value, 'push');
    if (!this.config.appSecret || envelope.appId !== this.config.appId)
      throw new ElemePushRefused(403, 'unknown appId');
    const check = verifyElemePush(text, this.config.appSecret);
    if (!check.ok) throw new ElemePushRefused(401, check.reason);
    // A pulled message comes from Ele.me over our own signed call, and may be old by design.
    const stale = via === 'push' ? this.window.check('eleme', envelope.timestamp) : null;
    if (stale) throw new ElemePushRefused(400, stale, 'stale');
    const store = await this.store(envelope.shopId);
    const read = readElemeMessage(envelope.type, envelope.message, parseJsonExact);
    const named = read.order?.shopId ?? read.event?.shopId;
    if (named && named !== envelope.shopId) {
      throw new ElemePushRefused(
        403,
        `the message is about shop ${named}, the push was signed for ${envelope.shopId}`,
        'store_mismatch',
      );
    }
    const orderKey = orderKeyOf(read);
    const owner = orderKey ? await this.inbox.storeOfOrder('eleme', orderKey) : undefined;
    if (owner !== undefined && owner !== store.id) {
      throw new ElemePushRefused(403, `order ${orderKey} is not of shop ${envelope.shopId}`, 'store_mismatch');
    }
    const { duplicate } = await this.inbox.record({
      platform: 'eleme',
      pushType: String(envelope.type),
      dedupeKey: `req:${envelope.requestId}`,
      storeId: store.id,
      orderKey,
      body: text,
      meta: { brandId: store.brandId, via },
    });
    return { requestId: envelope.requestId, duplicate };
  }

  private async store(shopId: string): Promise<{ id: string; brandId: string }> {
    const now = this.clock.now();
    const cached = this.storeCache.get(shopId);
    if (cached && now - cached.at < 60_000) return cached;
    const row = await this.stores.findByElemeShopId(shopId);
    if (row?.status !== 'active') throw new ElemePushRefused(404, `unknown shop ${shopId}`, 'store');
    const entry = { id: row.id, brandId: row.brand_id, at: now };
    this.storeCache.set(shopId, entry);
    return entry;
  }
}

function answer(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
  ctx.state.responded = true;
}
