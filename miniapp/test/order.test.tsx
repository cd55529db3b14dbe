import Taro from '@tarojs/taro';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import OrderPage, { ORDER_POLL_MS } from '../src/pages/order/index';
import { orderView } from './fixtures';
import { fakeBff, ok, on } from './http';

describe('order page', () => {
  beforeEach(() => {
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => (key === 'heyi.token' ? 'tok' : ''));
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the status in Chinese and follows it by polling until the order is done', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const order = orderView({ status: 'placed', remark: '少放葱' });
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    const statuses = ['placed', 'accepted', 'completed'] as const;
    let reads = 0;
    const sent = fakeBff(
      on('GET', `/api/mp/orders/${order.id}`, () => {
        const status = statuses[Math.min(reads, statuses.length - 1)];
        reads += 1;
        return ok({ ...order, status });
      }),
    );
    render(<OrderPage />);

    expect(await screen.findByText('已支付，等待商家接单')).toBeTruthy();
    expect(screen.getByText(`取餐号 ${order.daySeq}`)).toBeTruthy();
    expect(screen.getByText('小碗，微辣，加卤蛋')).toBeTruthy();
    expect(screen.getByText('备注：少放葱')).toBeTruthy();
    expect(screen.getByText('¥31')).toBeTruthy();
    expect(screen.queryByText('去支付')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(ORDER_POLL_MS));
    expect(await screen.findByText('商家已接单')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(ORDER_POLL_MS));
    expect(await screen.findByText('已完成')).toBeTruthy();
    const readsWhenDone = sent.length;
    await act(() => vi.advanceTimersByTimeAsync(ORDER_POLL_MS * 3));
    expect(sent.length).toBe(readsWhenDone);
  });

  it('offers 去支付 and 取消订单 while unpaid, and shows the rider timeline', async () => {
    const order = orderView({
      status: 'pending_payment',
      fulfillment: 'delivery',
      delivery: {
        mode: 'self',
        status: 'assigned',
        riderName: '王师傅',
        riderPhone: null,
        logisticsCode: null,
        zoneName: null,
        timeline: [
          {
            status: 'assigned',
            at: '2026-11-30T04:05:00.000Z',
            riderName: '王师傅',
            riderPhone: null,
            source: 'staff',
          },
        ],
      },
    });
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    const sent = fakeBff(
      on('GET', `/api/mp/orders/${order.id}`, () => ok(order)),
      on('POST', `/api/mp/orders/${order.id}/cancel`, () => ok({ ...order, status: 'cancelled' })),
    );
    render(<OrderPage />);
    expect(await screen.findByText('待支付', { selector: '.order__status' })).toBeTruthy();
    expect(screen.getByText('配送：骑手已接单 · 骑手 王师傅')).toBeTruthy();
    expect(screen.getByText('去支付')).toBeTruthy();
    fireEvent.click(screen.getByText('取消订单'));
    expect(await screen.findByText('已取消')).toBeTruthy();
    expect(sent.some((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toBe(true);
    expect(screen.queryByText('去支付')).toBeNull();
  });
});
