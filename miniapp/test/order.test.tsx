import Taro from '@tarojs/taro';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cartState, resetCart } from '../src/cart/cart';
import OrderPage, { ORDER_POLL_MS } from '../src/pages/order/index';
import { forgetStoreDirectory } from '../src/services/stores';
import { orderView } from './fixtures';
import { fakeBff, ok, on } from './http';

const deviceZone = process.env.TZ;

describe('order page', () => {
  beforeEach(() => {
    forgetStoreDirectory();
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => (key === 'heyi.token' ? 'tok' : ''));
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    if (deviceZone === undefined) delete process.env.TZ;
    else process.env.TZ = deviceZone;
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
    expect(document.querySelector('.order__seq')?.textContent).toBe(String(order.daySeq));
    expect(screen.getByText('门店接单前可随时取消订单')).toBeTruthy();
    // Where to collect it: the store, its address, a map link and its phone.
    expect(screen.getByText('合一小馆（人民广场店）')).toBeTruthy();
    expect(screen.getByText('上海市黄浦区西藏中路 268 号')).toBeTruthy();
    expect(document.querySelector('.order-store__map')?.getAttribute('data-href')).toContain(
      'uri.amap.com/marker?position=121.4747,31.2335',
    );
    expect(screen.getByText('电话')).toBeTruthy();
    // A pickup order has no 配送费 line.
    expect(screen.queryByText('配送费')).toBeNull();
    expect(screen.getByText('小碗，微辣，加卤蛋')).toBeTruthy();
    expect(screen.getByText('备注：少放葱')).toBeTruthy();
    expect(screen.getByText('¥31.00')).toBeTruthy();
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

  it('shows the pickup time and the pay-by time on the store’s clock, not the phone’s', async () => {
    // The phone is set to New York (11:46 there); the store is in Shanghai, where it is 01:00 on 1 Dec.
    process.env.TZ = 'America/New_York';
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T17:00:00Z') });
    const order = orderView({
      status: 'pending_payment',
      promisedAt: '2026-11-30T16:46:00Z',
      payBy: '2026-11-30T16:40:00Z',
    });
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    fakeBff(on('GET', `/api/mp/orders/${order.id}`, () => ok(order)));
    render(<OrderPage />);
    expect(await screen.findByText('今天 00:46')).toBeTruthy();
    expect(screen.getByText('请在 00:40 前完成支付')).toBeTruthy();
  });

  it('reads the store’s timezone from the order', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T10:00:00Z') });
    const base = orderView();
    const order = orderView({
      status: 'accepted',
      promisedAt: '2026-11-30T16:46:00Z',
      store: { ...(base.store as NonNullable<typeof base.store>), timezone: 'Asia/Tokyo' },
    });
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    fakeBff(on('GET', `/api/mp/orders/${order.id}`, () => ok(order)));
    render(<OrderPage />);
    // 16:46 UTC is 01:46 on 1 Dec in Tokyo, the day after "now" (19:00 on 30 Nov there).
    expect(await screen.findByText('明天 01:46')).toBeTruthy();
  });

  it('lets the member cancel a paid order before the store accepts it, after asking', async () => {
    const order = orderView({ status: 'placed' });
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    const sent = fakeBff(
      on('GET', `/api/mp/orders/${order.id}`, () => ok(order)),
      on('POST', `/api/mp/orders/${order.id}/cancel`, () =>
        ok({ ...order, status: 'cancelled', cancelReason: 'member' }),
      ),
    );
    render(<OrderPage />);
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' });
    const cancel = await screen.findByText('取消订单');
    await act(async () => {
      fireEvent.click(cancel);
    });
    expect(sent.some((r) => r.path.endsWith('/cancel'))).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByText('取消订单'));
    });
    expect(await screen.findByText('已取消')).toBeTruthy();
    expect(screen.getByText('订单已取消，已支付的款项将原路退回')).toBeTruthy();
    expect(screen.queryByText('取消订单')).toBeNull();
  });

  it('offers 再来一单 on a finished order: its dishes become the cart and the store’s menu opens', async () => {
    resetCart();
    const order = orderView({ status: 'completed' });
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    fakeBff(on('GET', `/api/mp/orders/${order.id}`, () => ok(order)));
    render(<OrderPage />);
    fireEvent.click(await screen.findByText('再来一单'));
    expect(cartState()).toMatchObject({
      storeId: order.storeId,
      storeName: '合一小馆（人民广场店）',
      items: [{ skuCode: 'N001-S', addons: ['ADD-EGG', 'SPICY-1'], quantity: 1, unitPrice: 3000 }],
    });
    expect(vi.mocked(Taro.navigateTo).mock.lastCall?.[0].url).toMatch(/^\/pages\/menu\/index\?storeId=/);
  });
});
