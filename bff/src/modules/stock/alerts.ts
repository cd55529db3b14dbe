import type { Database } from 'db';
import type { Kysely, Transaction } from 'kysely';
import type { StockAlertView } from 'shared-types';
import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import { errors } from '../../lib/errors';
import { type LiveEvent, storeLiveChannel } from '../../lib/live';
import type { Logger } from '../../logger';
import type { StoreScene } from './context';
import type { ReserveRequest, Shortage } from './contract';
import { iso } from './model';
import type { ReserveOutcome } from './reserve';
import type { StockAlertRow, StockSettingsRepo } from './settings-repo';

/**
 * Platform orders that found too little stock, or pushed a kitchen slot past its limit: a row
 * staff can read (written with the reservation), a live event for the store's screens and a log
 * line for operations.
 */
export class StockAlerts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: StockSettingsRepo,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async raise(trx: Transaction<Database>, req: ReserveRequest, scene: StoreScene, outcome: ReserveOutcome) {
    const base = {
      brand_id: req.brandId,
      store_id: req.storeId,
      order_id: req.orderId,
      channel: req.channel,
      created_at: scene.now,
    };
    if (outcome.newShortages.length > 0) {
      await this.repo.raiseAlert(trx, {
        ...base,
        kind: 'shortage',
        policy: scene.policy.shortagePolicy,
        details: JSON.stringify({ shortages: outcome.newShortages, slotStart: outcome.order.slot_start }),
      });
    }
    if (outcome.newlyOverloaded) {
      await this.repo.raiseAlert(trx, {
        ...base,
        kind: 'overloaded',
        policy: null,
        details: JSON.stringify({ shortages: [], slotStart: outcome.order.slot_start }),
      });
    }
  }

  /** After commit: tell the people. */
  async announce(req: ReserveRequest, scene: StoreScene, outcome: ReserveOutcome): Promise<void> {
    const kinds = [
      ...(outcome.newShortages.length ? (['shortage'] as const) : []),
      ...(outcome.newlyOverloaded ? (['overloaded'] as const) : []),
    ];
    for (const kind of kinds) {
      const detail = {
        storeId: req.storeId,
        orderId: req.orderId,
        channel: req.channel,
        kind,
        policy: kind === 'shortage' ? scene.policy.shortagePolicy : null,
        shortages: kind === 'shortage' ? outcome.newShortages : [],
        slotStart: outcome.order.slot_start,
      };
      this.logger.warn(
        detail,
        kind === 'shortage' ? 'platform order short of stock' : 'platform order overloaded a kitchen slot',
      );
      const event: LiveEvent = { type: 'stock.alert', storeId: req.storeId, at: scene.now, data: detail };
      try {
        await this.cache.publish(storeLiveChannel(req.storeId), JSON.stringify(event));
      } catch (err) {
        this.logger.warn({ err, storeId: req.storeId }, 'stock alert live event failed');
      }
    }
  }

  async list(storeId: string, options: { open: boolean; limit: number }): Promise<StockAlertView[]> {
    return (await this.repo.alerts(this.db, storeId, options)).map(alertView);
  }

  async acknowledge(storeId: string, alertId: string, staffId: string): Promise<StockAlertView> {
    const alert = await this.repo.alert(this.db, storeId, alertId);
    if (!alert) throw errors.notFound('alert');
    await this.repo.acknowledgeAlert(this.db, alertId, staffId, this.clock.now());
    return alertView((await this.repo.alert(this.db, storeId, alertId)) as StockAlertRow);
  }
}

export function alertView(row: StockAlertRow): StockAlertView {
  const details = JSON.parse(row.details) as { shortages?: Shortage[]; slotStart?: number | null };
  return {
    id: row.id,
    storeId: row.store_id,
    orderId: row.order_id,
    channel: row.channel as StockAlertView['channel'],
    kind: row.kind,
    policy: row.policy,
    shortages: details.shortages ?? [],
    slotStart: details.slotStart == null ? null : iso(details.slotStart),
    createdAt: iso(row.created_at),
    acknowledgedAt: row.acknowledged_at === null ? null : iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
  };
}
