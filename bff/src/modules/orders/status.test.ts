import { describe, expect, it } from 'vitest';
import { planStaffAction, platformMayMove } from './status';

describe('the order status machine', () => {
  it('lets the kitchen accept, start, finish and hand over a pickup order, one step at a time', () => {
    expect(planStaffAction('accept', 'placed', 'pickup', null)).toEqual({ to: 'accepted' });
    expect(planStaffAction('start', 'accepted', 'pickup', null)).toEqual({ to: 'preparing' });
    expect(planStaffAction('ready', 'preparing', 'pickup', null)).toEqual({ to: 'ready' });
    expect(planStaffAction('ready', 'accepted', 'pickup', null)).toEqual({ to: 'ready' });
    expect(planStaffAction('handover', 'ready', 'pickup', null)).toEqual({ to: 'picked_up' });
  });

  it('hands a dine-in order over as served and a delivery order as on its way', () => {
    expect(planStaffAction('handover', 'ready', 'dine_in', null)).toEqual({ to: 'served' });
    expect(planStaffAction('handover', 'ready', 'delivery', 'platform')).toEqual({ to: 'delivering' });
  });

  it('answers a repeated action as already done', () => {
    expect(planStaffAction('accept', 'accepted', 'delivery', 'platform')).toEqual({ to: null });
    expect(planStaffAction('accept', 'ready', 'delivery', 'platform')).toEqual({ to: null });
    expect(planStaffAction('ready', 'ready', 'pickup', null)).toEqual({ to: null });
    expect(planStaffAction('cancel', 'cancelled', 'pickup', null)).toEqual({ to: null });
  });

  it('refuses what the kitchen cannot do', () => {
    expect(planStaffAction('ready', 'placed', 'pickup', null)).toBeNull();
    expect(planStaffAction('accept', 'cancelled', 'pickup', null)).toBeNull();
    expect(planStaffAction('handover', 'accepted', 'pickup', null)).toBeNull();
    expect(planStaffAction('cancel', 'completed', 'pickup', null)).toBeNull();
    expect(planStaffAction('cancel', 'pending_payment', 'pickup', null)).toBeNull();
    expect(planStaffAction('delivered', 'delivering', 'delivery', 'platform')).toBeNull();
    expect(planStaffAction('delivered', 'delivering', 'delivery', 'self')).toEqual({ to: 'delivered' });
  });

  it('lets a platform skip forward but never move an order back or out of a final state', () => {
    expect(platformMayMove('placed', 'completed')).toBe(true);
    expect(platformMayMove('ready', 'accepted')).toBe(false);
    expect(platformMayMove('cancelled', 'accepted')).toBe(false);
    expect(platformMayMove('accepted', 'cancelled')).toBe(true);
    expect(platformMayMove('completed', 'cancelled')).toBe(false);
    expect(platformMayMove('completed', 'partially_refunded')).toBe(true);
    expect(platformMayMove('delivering', 'refunded')).toBe(true);
    expect(platformMayMove('refunded', 'refunded')).toBe(false);
  });
});
