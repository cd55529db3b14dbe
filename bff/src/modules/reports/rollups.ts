import type { Database } from 'db';
import type { Kysely } from 'kysely';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../logger';
import type { OutboxWorker } from '../../sync/worker';
import { ORDER_TOPICS } from '../orders/topics';
import { inTransaction } from '../stock/tx';
import { diffFacts, factOf } from './facts';
import type { OrderForFact, RollupRepo } from './rollup-repo';

const countOf = (o: OrderForFact) => factOf(o.order, o.lines, (code) => o.costs.get(code) ?? 0, o.wasPlaced);

/**
 * Keeps the report rollups equal to the sum of the orders. The orders module queues an
 * `orders.changed` event in the transaction of every order write (so the event exists exactly when
 * the change committed); applying it recounts the order from its current row and adds only the
 * difference from what it last contributed. Applying an event twice, or late, or out of order
 * therefore changes nothing that is already right. Events of one store are applied one at a time.
 */
export class ReportRollups {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: RollupRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  register(outbox: OutboxWorker): void {
    outbox.register(ORDER_TOPICS.changed, async (payload) => {
      const { orderId } = payload as { orderId: string };
      await this.recount(orderId);
    });
  }

  /**
   * Recounts one order into the rollups, in one transaction. Two stores' events applied at once may
   * deadlock on neighbouring new rollup rows (InnoDB gap locks); the loser runs again whole.
   */
  async recount(orderId: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const before = await this.repo.fact(trx, orderId);
      const current = await this.repo.orderForFact(trx, orderId);
      if (!current) return;
      const after = countOf(current);
      for (const delta of diffFacts(before, after)) await this.repo.add(trx, delta);
      await this.repo.saveFact(trx, orderId, after, before !== null, this.clock.now());
    });
  }

  /**
   * Repair: forgets and recounts the rollups of some stores' business days from their orders, one
   * store at a time, each in one transaction. Answers how many orders were counted.
   */
  async rebuild(storeIds: string[], from: string, to: string): Promise<number> {
    let counted = 0;
    for (const storeId of storeIds) {
      counted += await this.db.transaction().execute(async (trx) => {
        await this.repo.clearDays(trx, storeId, from, to);
        const orders = await this.repo.ordersOfDays(trx, storeId, from, to);
        const now = this.clock.now();
        for (const o of orders) {
          const fact = countOf(o);
          for (const delta of diffFacts(null, fact)) await this.repo.add(trx, delta);
          await this.repo.saveFact(trx, o.order.id, fact, false, now);
        }
        return orders.length;
      });
      this.logger.info({ storeId, from, to }, 'report rollups rebuilt');
    }
    return counted;
  }
}
