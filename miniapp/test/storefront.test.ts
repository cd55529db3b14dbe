import { formatFen } from 'shared-types/money';
import { describe, expect, it } from 'vitest';
import { elapsedSince } from '../src/utils/elapsed';
import { closedText, dayAndTime, hoursToday, pickupSlots } from '../src/utils/hours';
import { orderingState } from '../src/utils/ordering';
import { storeView } from './fixtures';

// 23:30 on Friday 4 December 2026 in Shanghai.
const LATE = new Date('2026-12-04T15:30:00Z');
// 12:00 on the same day.
const NOON = new Date('2026-12-04T04:00:00Z');

describe('one price format', () => {
  it('writes every amount as yuan with two decimals', () => {
    expect([6450, 150, 4000, 2800, 0, 5].map(formatFen)).toEqual([
      '¥64.50',
      '¥1.50',
      '¥40.00',
      '¥28.00',
      '¥0.00',
      '¥0.05',
    ]);
    expect(formatFen(-300)).toBe('-¥3.00');
  });
});

describe('store hours on the store’s clock', () => {
  const store = storeView({
    businessHours: [
      { days: [1, 2, 3, 4, 5], open: '10:00', close: '22:00' },
      { days: [6, 7], open: '09:00', close: '23:00' },
    ],
  });

  it('says today’s hours, or 今日休息', () => {
    expect(hoursToday(store, NOON)).toBe('10:00–22:00');
    expect(hoursToday(store, new Date('2026-12-05T04:00:00Z'))).toBe('09:00–23:00');
    expect(hoursToday(storeView({ businessHours: [{ days: [1], open: '10:00', close: '22:00' }] }), NOON)).toBe(
      '今日休息',
    );
  });

  it('names the day of a time: 今天, 明天, 后天, else the date', () => {
    expect(dayAndTime('2026-12-04T14:00:00Z', 'Asia/Shanghai', LATE)).toBe('今天 22:00');
    expect(dayAndTime('2026-12-05T01:00:00Z', 'Asia/Shanghai', LATE)).toBe('明天 09:00');
    expect(dayAndTime('2026-12-06T02:00:00Z', 'Asia/Shanghai', LATE)).toBe('后天 10:00');
    expect(dayAndTime('2026-12-09T02:00:00Z', 'Asia/Shanghai', LATE)).toBe('12月9日 10:00');
  });

  it('says when a closed store opens next', () => {
    expect(closedText(storeView({ openNow: false, nextOpenAt: '2026-12-05T01:00:00Z' }), LATE)).toBe(
      '休息中 · 明天 09:00 营业',
    );
    expect(closedText(storeView({ openNow: false, nextOpenAt: null }), LATE)).toBe('休息中');
  });
});

describe('what the menu lets a diner do', () => {
  const closed = { openNow: false, nextOpenAt: '2026-12-05T02:00:00Z' };

  it('orders now at an open store', () => {
    expect(orderingState(storeView({ openNow: true }), false, LATE)).toMatchObject({
      kind: 'open',
      canAdd: true,
      canCheckout: true,
      banner: null,
    });
  });

  it('only looks at a closed store that takes no orders ahead, and says until when', () => {
    expect(orderingState(storeView({ ...closed, preorderDays: 0 }), false, LATE)).toEqual({
      kind: 'closed',
      canAdd: false,
      canCheckout: false,
      banner: '休息中 · 明天 10:00 营业，暂不接单',
      action: '休息中',
    });
  });

  it('orders ahead for pickup at a closed store that allows it, but not at a table', () => {
    expect(orderingState(storeView({ ...closed, preorderDays: 1 }), false, LATE)).toMatchObject({
      kind: 'ahead',
      canAdd: true,
      canCheckout: true,
      banner: '休息中 · 明天 10:00 营业，现在可预约自取',
      action: '去预约',
    });
    expect(orderingState(storeView({ ...closed, preorderDays: 1 }), true, LATE).kind).toBe('closed');
  });

  it('leaves the judgement to checkout until the store list answers', () => {
    expect(orderingState(null, false, LATE)).toMatchObject({ kind: 'unknown', canAdd: true, canCheckout: true });
  });
});

describe('pickup times (预约自取)', () => {
  const store = storeView({ businessHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '22:00' }] });

  it('offers none when the store takes no orders ahead', () => {
    expect(pickupSlots({ ...store, preorderDays: 0 }, LATE)).toEqual([]);
  });

  it('offers every half hour inside the hours, through the last day allowed', () => {
    const slots = pickupSlots({ ...store, preorderDays: 1 }, LATE);
    // Tomorrow only (tonight is past closing): 10:00 … 21:30 Shanghai.
    expect(slots[0]).toBe('2026-12-05T02:00:00.000Z');
    expect(slots.at(-1)).toBe('2026-12-05T13:30:00.000Z');
    expect(slots).toHaveLength(24);
  });

  it('starts far enough from now for the kitchen', () => {
    // At 12:00 the first time offered is 12:30 (20 minutes of lead); at 12:15 it is 13:00.
    const slots = pickupSlots({ ...store, preorderDays: 1 }, new Date('2026-12-04T04:00:00Z'));
    expect(slots[0]).toBe('2026-12-04T04:30:00.000Z');
    expect(pickupSlots({ ...store, preorderDays: 1 }, new Date('2026-12-04T04:15:00Z'))[0]).toBe(
      '2026-12-04T05:00:00.000Z',
    );
  });
});

describe('time since an order came in', () => {
  it('reads at a glance', () => {
    const now = new Date('2026-12-04T04:00:00Z');
    expect(elapsedSince('2026-12-04T03:59:30Z', now)).toBe('刚刚');
    expect(elapsedSince('2026-12-04T03:53:00Z', now)).toBe('7分钟');
    expect(elapsedSince('2026-12-04T02:48:00Z', now)).toBe('1小时12分');
    expect(elapsedSince('2026-12-04T02:00:00Z', now)).toBe('2小时');
  });
});
