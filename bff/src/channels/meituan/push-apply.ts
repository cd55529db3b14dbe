import type { CatalogLookup } from '../../modules/catalog/pricing/lookup';
import type { DeliveryService } from '../../modules/delivery/service';
import type { ApplyOutcome, InboxRow } from '../../modules/orders/inbox';
import type { Actor } from '../../modules/orders/model';
import type { PlatformEvents } from '../../modules/orders/platform-events';
import { PlatformIngest } from '../../modules/orders/platform-ingest';
import type { OrderService } from '../../modules/orders/service';
import {
  type MeituanPushType,
  PAYLOAD_FIELD,
  readCancel,
  readRefund,
  readRefundStatus,
  readShipping,
  riderStatusOf,
} from './push-events';
import { meituanNewOrder, readMeituanOrder } from './push-order';
import { type PushDecoding, verifyWaimaiopenPush } from './sign';

/** What the receiver recorded about a push besides its raw body. */
export interface MeituanPushMeta {
  pushType: MeituanPushType;
  gateway: 'open-cater' | 'waimaiopen';
  /** Which form decoding the signature matched (legacy double encoding). */
  decoding: PushDecoding;
  /** The callback URL the signature was checked against (legacy gateway). */
  callbackUrl: string;
  brandId: string;
}

const REFUND_STATE = {
  apply: 'requested',
  agree: 'agreed',
  reject: 'rejected',
  cancelRefund: 'cancelled',
  cancelRefundComplaint: 'cancelled',
} as const;

/**
 * Applies a recorded Meituan push to the order flow. Order-bearing pushes (new, confirmed,
 * completed) create the order if it is not there yet, so a "confirmed" that overtakes its "new"
 * still makes one order; events for an order not seen yet are parked until it arrives.
 */
export class MeituanPushApplier {
  constructor(
    private readonly ingest: PlatformIngest,
    private readonly orders: OrderService,
    private readonly events: PlatformEvents,
    private readonly catalog: CatalogLookup,
    private readonly delivery: DeliveryService,
    private readonly parseJson: (text: string) => unknown,
    private readonly appSecret: string | undefined,
  ) {}

  /**
   * The fields of a recorded push. Legacy pushes are verified again from the raw body and the
   * callback URL kept with it, which also undoes their double encoding the way it was signed.
   */
  fields(row: InboxRow, meta: MeituanPushMeta): Record<string, string> {
    if (meta.gateway === 'open-cater') return Object.fromEntries(new URLSearchParams(row.body));
    const check = verifyWaimaiopenPush(meta.callbackUrl, row.body, this.appSecret ?? '');
    if (!check.ok) throw new Error(`recorded push ${row.id} no longer verifies (was the app secret changed?)`);
    return check.fields;
  }

  /** The push's payload: the `message` JSON (newer envelope), the type's JSON field, or the flat fields. */
  payload(fields: Record<string, string>, type: MeituanPushType): Record<string, unknown> {
    const json = fields.message ?? fields[PAYLOAD_FIELD[type]];
    if (json === undefined) return fields;
    const parsed = this.parseJson(json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fields;
    return parsed as Record<string, unknown>;
  }

  async apply(row: InboxRow): Promise<ApplyOutcome> {
    const meta = JSON.parse(row.meta) as MeituanPushMeta;
    const fields = this.fields(row, meta);
    const p = this.payload(fields, meta.pushType);
    const actor: Actor = { source: 'platform', id: row.id };
    switch (meta.pushType) {
      case 'new-order':
      case 'confirmed':
      case 'completed': {
        const mt = readMeituanOrder(p, this.parseJson);
        const existing = await this.orders.findByChannelId('meituan', mt.orderId);
        if (existing) {
          await this.ingest.resume(existing);
        } else {
          const order = await meituanNewOrder(mt, {
            brandId: meta.brandId,
            storeId: row.store_id,
            gateway: meta.gateway,
            catalog: this.catalog,
            platformDelivers: await this.delivery.platformDelivers(row.store_id, 'meituan'),
          });
          await this.ingest.ingest(order, actor);
        }
        if (meta.pushType === 'new-order') return { status: 'applied' };
        const to = meta.pushType === 'confirmed' ? 'accepted' : 'completed';
        return PlatformIngest.outcome(await this.events.platformMove('meituan', mt.orderId, to, actor), meta.pushType);
      }
      case 'cancel': {
        const c = readCancel(p);
        const result = await this.events.platformMove('meituan', c.orderId, 'cancelled', actor, {
          reason: c.reason ?? c.reasonCode,
          set: { cancel_reason: `meituan:${c.reasonCode ?? ''} ${c.reason ?? ''}`.trim().slice(0, 255) },
        });
        return PlatformIngest.outcome(result, 'cancel');
      }
      case 'refund': {
        const r = readRefund(p);
        const result = await this.events.platformRefund('meituan', r.orderId, REFUND_STATE[r.notifyType], actor, {
          reason: r.reason,
          partial: r.partial,
          amount: r.money,
        });
        return PlatformIngest.outcome(result, `refund ${r.notifyType}`);
      }
      case 'refund-status': {
        const s = readRefundStatus(p);
        if (s.refundStatus !== 3 && s.refundStatus !== 13) {
          return { status: 'ignored', note: `refund status ${s.refundStatus}` };
        }
        const result = await this.events.platformRefund('meituan', s.orderId, 'agreed', actor, {
          reason: null,
          partial: s.refundStatus === 13,
          amount: s.money,
        });
        return PlatformIngest.outcome(result, `refund status ${s.refundStatus}`);
      }
      case 'logistics': {
        const s = readShipping(p);
        const status = riderStatusOf(s.status);
        if (!status) return { status: 'ignored', note: `logistics status ${s.status}` };
        const at = s.time ? s.time * 1000 : Number(row.received_at);
        const result = await this.events.platformRider(
          'meituan',
          s.orderId,
          {
            status,
            riderName: s.riderName,
            riderPhone: s.riderPhone,
            source: 'platform',
            dedupeKey: `mt:${s.status}:${s.time ?? row.id}`,
            at,
          },
          actor,
        );
        return PlatformIngest.outcome(result, `logistics ${s.status}`);
      }
    }
  }
}
