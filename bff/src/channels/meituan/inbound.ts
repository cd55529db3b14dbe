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
import type { MeituanPushMeta } from './push-apply';
import {
  MEITUAN_PUSH_TYPES,
  type MeituanPushType,
  PAYLOAD_FIELD,
  readCancel,
  readRefund,
  readRefundStatus,
  readShipping,
} from './push-events';
import { MalformedPush, readMeituanOrder } from './push-order';
import { type PushDecoding, verifyOpenCaterPush, verifyWaimaiopenPush } from './sign';

type Envelope = 'classic' | 'message' | 'legacy';

/** What Meituan expects back, per envelope (spec meituan-open-cater.md §4, delivery-platforms.md §1.2). */
const OK_BODY: Record<Envelope, unknown> = {
  classic: { data: 'OK' },
  message: { code: 0, message: 'success' },
  legacy: { data: 'ok' },
};

function errorBody(envelope: Envelope, code: number, msg: string): unknown {
  return envelope === 'message' ? { code, message: msg } : { data: 'ng', error: { code, msg } };
}

class PushRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly reason: PushRefusal,
  ) {
    super(message);
  }
}

/** An order's ctime ahead of our clock by more than this is not a clock difference. */
const MAX_CTIME_AHEAD_MS = 3600_000;

/** Store codes → store rows, briefly remembered: every push names its store. */
const STORE_TTL_MS = 60_000;

/**
 * Meituan push receivers, one URL per push type (`/webhooks/meituan/<type>`), each accepting the
 * envelopes of both gateways, told apart by their fields:
 * - open-cater classic: `developerId`, `ePoiId`, `sign` (SHA-1) and one JSON field (`order`, …);
 * - open-cater newer: `msgType`, `msgId`, `message` (JSON), same signature, deduplicated on `msgId`;
 * - legacy waimaiopen: `app_id`, `timestamp`, `sig` (MD5 over our callback URL as configured).
 * A push is verified, checked far enough to apply, recorded in the inbox, and only then answered.
 * Probes (GET, empty POST) are answered without verifying. Anything refused writes nothing.
 */
export class MeituanInbound {
  private readonly storeCache = new Map<string, { id: string; brandId: string; at: number }>();

  constructor(
    private readonly config: Config['meituan'],
    private readonly publicBaseUrl: string,
    private readonly bodyLimit: number,
    private readonly stores: StoreService,
    private readonly inbox: PushInbox,
    private readonly window: PushWindow,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  register(routes: RouteRegistry): void {
    for (const type of MEITUAN_PUSH_TYPES) {
      routes.add({
        method: 'post',
        path: `/webhooks/meituan/${type}`,
        summary: `Meituan push: ${type} (both gateways)`,
        tags: ['webhooks'],
        auth: 'public',
        handler: async ({ ctx }) => this.receive(ctx, type),
      });
      routes.add({
        method: 'get',
        path: `/webhooks/meituan/${type}`,
        summary: `Meituan's check of the ${type} callback URL`,
        tags: ['webhooks'],
        auth: 'public',
        handler: async ({ ctx }) => reply(ctx, 200, OK_BODY.legacy),
      });
    }
  }

  callbackUrl(type: MeituanPushType): string {
    return `${this.publicBaseUrl}/webhooks/meituan/${type}`;
  }

  async receive(ctx: Context, type: MeituanPushType): Promise<void> {
    const raw = await readRawBody(ctx, this.bodyLimit);
    // Saving a callback URL in the console sends an empty POST: answer it without verifying.
    if (raw.length === 0) return reply(ctx, 200, OK_BODY.legacy);
    const body = raw.toString('utf8');
    const once = Object.fromEntries(new URLSearchParams(body));
    const envelope: Envelope =
      once.app_id !== undefined || once.sig !== undefined
        ? 'legacy'
        : once.message !== undefined || once.msgType !== undefined
          ? 'message'
          : 'classic';
    try {
      const { decoding, fields } = this.verify(envelope, type, body, once);
      this.checkFreshness(fields.timestamp);
      const storeCode = envelope === 'legacy' ? fields.app_poi_code : (fields.ePoiId ?? fields.opBizCode);
      const store = await this.store(storeCode);
      const { orderKey, dedupeKey } = this.describe(envelope, type, fields, storeCode as string);
      const owner = await this.inbox.storeOfOrder('meituan', orderKey);
      if (owner !== undefined && owner !== store.id) {
        throw new PushRefused(403, 403, `order ${orderKey} is not of store ${storeCode}`, 'store_mismatch');
      }
      const meta: MeituanPushMeta = {
        pushType: type,
        gateway: envelope === 'legacy' ? 'waimaiopen' : 'open-cater',
        decoding,
        callbackUrl: this.callbackUrl(type),
        brandId: store.brandId,
      };
      await this.inbox.record({
        platform: 'meituan',
        pushType: type,
        dedupeKey,
        storeId: store.id,
        orderKey,
        body,
        meta: { ...meta, contentType: ctx.get('content-type') },
      });
      reply(ctx, 200, OK_BODY[envelope]);
    } catch (err) {
      if (err instanceof PushRefused) {
        this.window.refused('meituan', err.reason);
        this.logger.warn({ type, envelope, reason: err.message }, 'Meituan push refused');
        return reply(ctx, err.status, errorBody(envelope, err.code, err.message));
      }
      if (err instanceof MalformedPush) {
        this.window.refused('meituan', 'malformed');
        this.logger.warn({ type, envelope, reason: err.message }, 'Meituan push malformed');
        return reply(ctx, 400, errorBody(envelope, 400, err.message));
      }
      throw err;
    }
  }

  /** A signed timestamp (classic pushes may have none) must be inside the window: replays are refused. */
  private checkFreshness(timestamp: string | undefined): void {
    if (timestamp === undefined || timestamp === '') return;
    if (!/^\d{1,16}$/.test(timestamp)) throw new MalformedPush(`timestamp ${timestamp} is not a number`);
    const stale = this.window.check('meituan', Number(timestamp));
    if (stale) throw new PushRefused(400, 400, stale, 'stale');
  }

  /** Checks the signature and the sender; answers the fields as they were signed. */
  private verify(
    envelope: Envelope,
    type: MeituanPushType,
    body: string,
    once: Record<string, string>,
  ): { decoding: PushDecoding; fields: Record<string, string> } {
    if (envelope === 'legacy') {
      if (!this.config.appSecret || once.app_id !== this.config.appId) {
        throw new PushRefused(403, 701, 'unknown app_id', 'signature');
      }
      const check = verifyWaimaiopenPush(this.callbackUrl(type), body, this.config.appSecret);
      if (!check.ok) throw new PushRefused(401, 703, 'signature does not match', 'signature');
      return { decoding: check.decoding, fields: check.fields };
    }
    if (!this.config.signKey || once.developerId !== this.config.developerId) {
      throw new PushRefused(403, 701, 'unknown developerId', 'signature');
    }
    if (!verifyOpenCaterPush(this.config.signKey, once)) {
      throw new PushRefused(401, 703, 'signature does not match', 'signature');
    }
    return { decoding: 'single', fields: once };
  }

  private async store(code: string | undefined): Promise<{ id: string; brandId: string }> {
    if (!code) throw new MalformedPush('the push names no store (ePoiId / app_poi_code)');
    const now = this.clock.now();
    const cached = this.storeCache.get(code);
    if (cached && now - cached.at < STORE_TTL_MS) return cached;
    const row = await this.stores.findByMeituanPoiCode(code);
    if (row?.status !== 'active') throw new PushRefused(404, 404, `unknown store ${code}`, 'store');
    const entry = { id: row.id, brandId: row.brand_id, at: now };
    this.storeCache.set(code, entry);
    return entry;
  }

  /** Reads the payload far enough to know its order and its identity; malformed pushes stop here. */
  private describe(envelope: Envelope, type: MeituanPushType, fields: Record<string, string>, storeCode: string) {
    const json = envelope === 'message' ? fields.message : fields[PAYLOAD_FIELD[type]];
    let p: Record<string, unknown> = fields;
    if (json !== undefined) {
      let parsed: unknown;
      try {
        parsed = parseJsonExact(json);
      } catch {
        throw new MalformedPush(`${envelope === 'message' ? 'message' : PAYLOAD_FIELD[type]} is not valid JSON`);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new MalformedPush('payload is not an object');
      p = parsed as Record<string, unknown>;
    }
    let orderKey: string;
    let event: string;
    switch (type) {
      case 'new-order':
      case 'confirmed':
      case 'completed': {
        const order = readMeituanOrder(p, parseJsonExact);
        if (order.ePoiId !== storeCode) {
          throw new PushRefused(
            403,
            403,
            `the order is of store ${order.ePoiId}, the push was signed for ${storeCode}`,
            'store_mismatch',
          );
        }
        if (order.ctime * 1000 > this.clock.now() + MAX_CTIME_AHEAD_MS) {
          throw new MalformedPush(`ctime ${order.ctime} is in the future`);
        }
        orderKey = order.orderId;
        event = '';
        break;
      }
      case 'cancel': {
        const c = readCancel(p);
        orderKey = c.orderId;
        event = `${c.reasonCode ?? ''}`;
        break;
      }
      case 'refund': {
        const r = readRefund(p);
        orderKey = r.orderId;
        event = `${r.notifyType}:${r.refundId ?? r.ctime ?? ''}:${r.money ?? ''}`;
        break;
      }
      case 'refund-status': {
        const s = readRefundStatus(p);
        orderKey = s.orderId;
        event = `${s.refundStatus}:${s.money ?? ''}`;
        break;
      }
      case 'logistics': {
        const s = readShipping(p);
        orderKey = s.orderId;
        event = `${s.status}:${s.time ?? ''}`;
        break;
      }
    }
    const msgId = fields.msgId;
    return { orderKey, dedupeKey: msgId ? `msg:${msgId}` : `${type}:${orderKey}${event ? `:${event}` : ''}` };
  }
}

function reply(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
  ctx.state.responded = true;
}
