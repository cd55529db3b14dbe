import type { Database } from 'db';
import type { Transaction } from 'kysely';
import type { ChangeTracker } from './changes';
import type { ReservationLine, Shortage } from './contract';
import type { StockItemRow } from './model';
import type { StockItemRepo } from './repo';

/**
 * Taking one order line from the rows it draws on (its SKU's and its product's counts).
 * `strict`: the conditional UPDATE takes all or the line is short. `record`: a platform order is
 * already sold, so it takes what there is (under lock), never below zero. `check`: an earlier line
 * of a strict order is already short; this one is only assessed, for the error to list it too.
 */
export class StockTaking {
  constructor(private readonly items: StockItemRepo) {}

  async takeLine(
    trx: Transaction<Database>,
    line: ReservationLine,
    own: StockItemRow[],
    counted: StockItemRow[],
    mode: 'strict' | 'record' | 'check',
    now: number,
    tracker: ChangeTracker,
  ): Promise<{ covered: number; shortage?: Shortage }> {
    const n = line.quantity;
    const short = (available: number, marked: boolean): Shortage => ({
      skuCode: line.skuCode,
      requested: n,
      available,
      reason: marked || available === 0 ? 'sold_out' : 'insufficient',
    });
    if (own.some((r) => r.sold_out === 1)) return { covered: 0, shortage: short(0, true) };
    if (counted.length === 0) return { covered: n };
    // Latest values under lock: what the shortage is, or (record) how much there is to take.
    const latest = async () => {
      const locked = await this.items.lockByIds(
        trx,
        counted.map((r) => r.id),
      );
      return {
        marked: locked.some((r) => r.sold_out === 1),
        available: Math.max(0, Math.min(...locked.map((r) => r.quantity ?? Number.MAX_SAFE_INTEGER))),
      };
    };
    if (mode === 'check') {
      const { marked, available } = await latest();
      return marked || available < n ? { covered: 0, shortage: short(marked ? 0 : available, marked) } : { covered: n };
    }
    if (mode === 'strict') {
      for (const row of counted) {
        if (!(await this.items.take(trx, row.id, n, now))) {
          // Rows of this line already taken go back with the rollback the shortage causes.
          const { marked, available } = await latest();
          return { covered: 0, shortage: short(marked ? 0 : available, marked) };
        }
      }
      await this.track(trx, counted, n, tracker);
      return { covered: n };
    }
    // A platform order is already sold: take what there is, never below zero, and say what is missing.
    const { marked, available } = await latest();
    if (marked) return { covered: 0, shortage: short(0, true) };
    const amount = Math.min(n, available);
    if (amount > 0) {
      for (const row of counted) {
        if (!(await this.items.take(trx, row.id, amount, now))) throw new Error('stock row changed under its lock');
      }
      await this.track(trx, counted, amount, tracker);
    }
    return amount < n ? { covered: amount, shortage: short(available, false) } : { covered: n };
  }

  /** Reads back what a take left (own writes are visible), so reaching zero is pushed as sold out. */
  private async track(trx: Transaction<Database>, rows: StockItemRow[], amount: number, tracker: ChangeTracker) {
    for (const row of rows) {
      const after = await this.items.byId(trx, row.id);
      if (after?.quantity == null) continue;
      tracker.row(
        row.level,
        row.code,
        { quantity: after.quantity + amount, soldOut: false },
        {
          quantity: after.quantity,
          soldOut: false,
        },
      );
    }
  }
}
