import { AppError } from '../../../lib/errors';
import type {
  ReservationLine,
  ReserveRequest,
  ReserveResult,
  Shortage,
  ShortagePolicy,
  StockPort,
} from '../../stock/contract';

const SLOT_MS = 15 * 60_000;

interface Held {
  request: ReserveRequest;
  result: ReserveResult;
  /** Quantity actually taken per line (record mode never goes below zero). */
  taken: Map<string, number>;
  state: 'reserved' | 'committed' | 'released';
}

/**
 * An in-memory `StockPort` for the order flow's own tests, honouring the contract: idempotent per
 * order, `strict` all-or-nothing (409 STOCK_INSUFFICIENT / CAPACITY_FULL), `record` always
 * recorded with short lines flagged and stock never below zero, release idempotent. Not used by
 * the running app, which gets the stock module's `StockService`.
 */
export class InMemoryStock implements StockPort {
  /** Counted quantities per `storeId:skuCode`; absent means unlimited. */
  readonly quantities = new Map<string, number>();
  readonly soldOut = new Set<string>();
  /** Items per 15-minute slot per store; absent means unlimited. */
  readonly slotCapacity = new Map<string, number>();
  private readonly slotLoad = new Map<string, number>();
  policy: ShortagePolicy = 'accept_and_alert';
  countRefundsAsWaste = false;
  readonly held = new Map<string, Held>();
  readonly calls: { op: string; orderId: string; reason?: string }[] = [];

  setQuantity(storeId: string, skuCode: string, quantity: number): void {
    this.quantities.set(`${storeId}:${skuCode}`, quantity);
  }

  quantity(storeId: string, skuCode: string): number | undefined {
    return this.quantities.get(`${storeId}:${skuCode}`);
  }

  private available(storeId: string, skuCode: string): number {
    if (this.soldOut.has(`${storeId}:${skuCode}`)) return 0;
    return this.quantities.get(`${storeId}:${skuCode}`) ?? Number.POSITIVE_INFINITY;
  }

  private slotOf(at: number): number {
    return Math.floor(at / SLOT_MS) * SLOT_MS;
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const existing = this.held.get(request.orderId);
    if (existing) return { ...existing.result, replayed: true };
    const wanted = new Map<string, number>();
    for (const line of request.lines) wanted.set(line.skuCode, (wanted.get(line.skuCode) ?? 0) + line.quantity);
    const shortages: Shortage[] = [];
    for (const [skuCode, requested] of wanted) {
      const available = this.available(request.storeId, skuCode);
      if (available < requested) {
        shortages.push({
          skuCode,
          requested,
          available: Number.isFinite(available) ? available : 0,
          reason: this.soldOut.has(`${request.storeId}:${skuCode}`) ? 'sold_out' : 'insufficient',
        });
      }
    }
    const slotStart = this.slotOf(request.readyAt ?? Date.now());
    const items = request.lines.reduce((s, l) => s + l.quantity, 0);
    const capacity = this.slotCapacity.get(request.storeId);
    const load = this.slotLoad.get(`${request.storeId}:${slotStart}`) ?? 0;
    const overloaded = capacity !== undefined && load + items > capacity;
    if (request.mode === 'strict') {
      if (shortages.length > 0) {
        throw new AppError('STOCK_INSUFFICIENT', 409, 'not enough stock for this order', { shortages });
      }
      if (overloaded) {
        const next = await this.nextSlotWithRoom(request.storeId, items, slotStart + SLOT_MS);
        throw new AppError('CAPACITY_FULL', 409, 'the kitchen is full at that time', { nextSlotStart: next });
      }
    }
    const taken = new Map<string, number>();
    for (const line of request.lines) taken.set(line.lineId, this.take(request.storeId, line));
    this.slotLoad.set(`${request.storeId}:${slotStart}`, load + items);
    const result: ReserveResult = { ok: shortages.length === 0, shortages, slotStart, overloaded, replayed: false };
    this.held.set(request.orderId, { request, result, taken, state: 'reserved' });
    this.calls.push({ op: 'reserve', orderId: request.orderId });
    return result;
  }

  private take(storeId: string, line: ReservationLine): number {
    const key = `${storeId}:${line.skuCode}`;
    const current = this.quantities.get(key);
    if (current === undefined) return line.quantity;
    const taken = Math.min(current, line.quantity);
    this.quantities.set(key, current - taken);
    return taken;
  }

  async reservationStore(orderId: string): Promise<string | null> {
    return this.held.get(orderId)?.request.storeId ?? null;
  }

  async commit(orderId: string): Promise<void> {
    const h = this.held.get(orderId);
    this.calls.push({ op: 'commit', orderId });
    if (h && h.state === 'reserved') h.state = 'committed';
  }

  async release(orderId: string, reason: 'cancelled' | 'timeout' | 'refunded'): Promise<void> {
    const h = this.held.get(orderId);
    this.calls.push({ op: 'release', orderId, reason });
    if (!h || h.state === 'released') return;
    const keep = reason === 'refunded' && this.countRefundsAsWaste;
    if (!keep) {
      for (const line of h.request.lines) {
        const key = `${h.request.storeId}:${line.skuCode}`;
        const current = this.quantities.get(key);
        if (current !== undefined) this.quantities.set(key, current + (h.taken.get(line.lineId) ?? 0));
      }
    }
    h.state = 'released';
  }

  async soldOutSkuCodes(storeId: string): Promise<Set<string>> {
    const out = new Set<string>();
    for (const key of this.soldOut) if (key.startsWith(`${storeId}:`)) out.add(key.slice(storeId.length + 1));
    for (const [key, q] of this.quantities)
      if (key.startsWith(`${storeId}:`) && q <= 0) out.add(key.slice(storeId.length + 1));
    return out;
  }

  async shortagePolicy(_brandId: string): Promise<ShortagePolicy> {
    return this.policy;
  }

  async nextSlotWithRoom(storeId: string, items: number, from: number): Promise<number | null> {
    const capacity = this.slotCapacity.get(storeId);
    const first = this.slotOf(from);
    if (capacity === undefined) return first;
    for (let slot = first; slot < first + 24 * 3600_000; slot += SLOT_MS) {
      if ((this.slotLoad.get(`${storeId}:${slot}`) ?? 0) + items <= capacity) return slot;
    }
    return null;
  }
}
