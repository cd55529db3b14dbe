import Taro from '@tarojs/taro';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cartState, resetCart } from '../src/cart/cart';
import StorePickerPage from '../src/pages/index/index';
import OrderPage from '../src/pages/order/index';
import MyOrdersPage, { MY_ORDERS_POLL_MS } from '../src/pages/orders/index';
import { forgetStoreDirectory } from '../src/services/stores';
import { orderView, storeView } from './fixtures';
import { fail, fakeBff, ok, on } from './http';

const PEOPLE_SQUARE = storeView({ id: '01KDVDNA00CF74YKMY8DVE2C1V', name: '合一小馆（人民广场店）' });
const WEST_LAKE = storeView({ id: '01KDVDNA00CF74YKMY8DVE2C2W', name: '合一小馆（西湖店）' });
// 2026-12-01 01:00 in Shanghai; the phone is set to New York, where it is still 30 Nov.
const NOW = new Date('2026-11-30T17:00:00Z');
/** The store as an order view carries it. */
const storeOf = (s: typeof PEOPLE_SQUARE) => ({
  name: s.name,
  address: s.address,
  phone: s.phone,
  lat: s.lat,
  lng: s.lng,
  timezone: s.timezone,
});
const deviceZone = process.env.TZ;

function itemOf(orderId: string): HTMLElement {
  const item = document.querySelector(`.my-orders__item[data-order-id="${orderId}"]`);
  if (!(item instanceof HTMLElement)) throw new Error(`no list item for ${orderId}`);
  return item;
}

describe('我的订单', () => {
  beforeEach(() => {
    forgetStoreDirectory();
    process.env.TZ = 'America/New_York';
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => (key === 'heyi.token' ? 'tok' : ''));
    vi.mocked(Taro.useRouter).mockReturnValue({ params: {}, path: '' } as never);
    for (const fn of [Taro.navigateTo, Taro.redirectTo, Taro.reLaunch, Taro.navigateBack]) vi.mocked(fn).mockClear();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    if (deviceZone === undefined) delete process.env.TZ;
    else process.env.TZ = deviceZone;
  });

  it('lists the member’s orders newest first with store, status, 取餐号, total and the store’s time', async () => {
    const yesterday = orderView({
      storeId: WEST_LAKE.id,
      store: storeOf(WEST_LAKE),
      status: 'completed',
      daySeq: 41,
      placedAt: '2026-11-30T04:05:00.000Z',
      amounts: { ...orderView().amounts, paid: 5850 },
    });
    const justNow = orderView({
      storeId: PEOPLE_SQUARE.id,
      store: storeOf(PEOPLE_SQUARE),
      status: 'placed',
      daySeq: 7,
      placedAt: '2026-11-30T16:46:00Z',
    });
    const unpaid = orderView({
      storeId: PEOPLE_SQUARE.id,
      store: storeOf(PEOPLE_SQUARE),
      status: 'pending_payment',
      daySeq: null,
      fulfillment: 'dine_in',
      tableNo: 'A3',
      placedAt: '2026-11-30T16:50:00Z',
    });
    const sent = fakeBff(on('GET', '/api/mp/orders', () => ok({ orders: [yesterday, justNow, unpaid] })));
    render(<MyOrdersPage />);

    await screen.findByText('取餐号 7');
    expect(await screen.findAllByText('合一小馆（人民广场店）')).toHaveLength(2);
    const ids = [...document.querySelectorAll('.my-orders__item')].map((el) => el.getAttribute('data-order-id'));
    expect(ids).toEqual([unpaid.id, justNow.id, yesterday.id]);

    const placed = within(itemOf(justNow.id));
    expect(placed.getByText('合一小馆（人民广场店）')).toBeTruthy();
    expect(placed.getByText('已支付，等待商家接单')).toBeTruthy();
    expect(placed.getByText('取餐号 7')).toBeTruthy();
    expect(placed.getByText('¥31.00')).toBeTruthy();
    // 16:46 UTC is 00:46 on 1 Dec in Shanghai, today there (the New York phone would say 11:46).
    expect(placed.getByText('下单时间 00:46')).toBeTruthy();

    const old = within(itemOf(yesterday.id));
    expect(old.getByText('合一小馆（西湖店）')).toBeTruthy();
    expect(old.getByText('已完成')).toBeTruthy();
    expect(old.getByText('取餐号 41')).toBeTruthy();
    expect(old.getByText('¥58.50')).toBeTruthy();
    expect(old.getByText('下单时间 11月30日 12:05')).toBeTruthy();

    const dineIn = within(itemOf(unpaid.id));
    expect(dineIn.getByText('待支付')).toBeTruthy();
    expect(dineIn.getByText('堂食 · A3 号桌')).toBeTruthy();
    expect(dineIn.queryByText(/取餐号/)).toBeNull();

    const list = sent.find((r) => r.path === '/api/mp/orders');
    expect(list?.header.Authorization).toBe('Bearer tok');

    fireEvent.click(placed.getByText('取餐号 7'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/order/index?id=${justNow.id}&from=orders` });
  });

  it('still lists an order whose store is gone, on the brand’s clock', async () => {
    const order = orderView({ status: 'ready', daySeq: 3, placedAt: '2026-11-30T16:46:00Z', store: null });
    fakeBff(on('GET', '/api/mp/orders', () => ok({ orders: [order] })));
    render(<MyOrdersPage />);
    const item = within(await screen.findByText('取餐号 3').then(() => itemOf(order.id)));
    expect(item.getByText('已出餐')).toBeTruthy();
    // Without the store the brand's zone (Asia/Shanghai) still applies.
    expect(item.getByText('下单时间 00:46')).toBeTruthy();
    expect(document.querySelector('.my-orders__store')?.textContent).toBe('');
  });

  it('follows an order in progress without a reload (商家已接单 → 已出餐), and stops when all are done', async () => {
    vi.useRealTimers();
    vi.useFakeTimers({ shouldAdvanceTime: true, now: NOW });
    const order = orderView({ status: 'accepted', daySeq: 5 });
    const statuses = ['accepted', 'ready', 'completed'] as const;
    let reads = 0;
    const sent = fakeBff(
      on('GET', '/api/mp/orders', () => {
        const status = statuses[Math.min(reads, statuses.length - 1)];
        reads += 1;
        return ok({ orders: [{ ...order, status }] });
      }),
    );
    render(<MyOrdersPage />);
    expect(await screen.findByText('商家已接单')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(MY_ORDERS_POLL_MS));
    expect(await screen.findByText('已出餐')).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(MY_ORDERS_POLL_MS));
    expect(await screen.findByText('已完成')).toBeTruthy();
    const readsWhenDone = sent.length;
    await act(() => vi.advanceTimersByTimeAsync(MY_ORDERS_POLL_MS * 3));
    expect(sent.length).toBe(readsWhenDone);
  });

  it('offers 再来一单 on a finished order, filling the cart from it', async () => {
    resetCart();
    const order = orderView({ status: 'completed', store: storeOf(PEOPLE_SQUARE) });
    fakeBff(on('GET', '/api/mp/orders', () => ok({ orders: [order] })));
    render(<MyOrdersPage />);
    fireEvent.click(await screen.findByText('再来一单'));
    expect(cartState().items.map((i) => [i.skuCode, i.quantity])).toEqual([['N001-S', 1]]);
    expect(vi.mocked(Taro.navigateTo).mock.lastCall?.[0].url).toContain(`storeId=${order.storeId}`);
    // Tapping 再来一单 does not also open the order.
    expect(Taro.navigateTo).toHaveBeenCalledTimes(1);
  });

  it('says so when there are no orders yet, and 去点餐 goes to the store list', async () => {
    fakeBff(
      on('GET', '/api/mp/orders', () => ok({ orders: [] })),
      on('GET', '/api/mp/stores', () => ok({ stores: [PEOPLE_SQUARE] })),
    );
    render(<MyOrdersPage />);
    expect(await screen.findByText('还没有订单')).toBeTruthy();
    expect(document.querySelector('.my-orders__item')).toBeNull();
    fireEvent.click(screen.getByText('去点餐'));
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
  });

  it('shows a Chinese error and loads again on 重试', async () => {
    const order = orderView({ status: 'accepted', daySeq: 9 });
    let calls = 0;
    fakeBff(
      on('GET', '/api/mp/orders', () => {
        calls += 1;
        return calls === 1 ? fail(500, 'INTERNAL', 'boom') : ok({ orders: [order] });
      }),
      on('GET', '/api/mp/stores', () => ok({ stores: [PEOPLE_SQUARE] })),
    );
    render(<MyOrdersPage />);
    expect(await screen.findByText('订单加载失败，请稍后再试')).toBeTruthy();
    expect(screen.queryByText('boom')).toBeNull();
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('商家已接单')).toBeTruthy();
    expect(screen.queryByText('订单加载失败，请稍后再试')).toBeNull();
  });

  it('tells the member when the network is down', async () => {
    fakeBff(
      on('GET', '/api/mp/orders', () => 'network-error'),
      on('GET', '/api/mp/stores', () => 'network-error'),
    );
    render(<MyOrdersPage />);
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy();
    expect(screen.getByText('重试')).toBeTruthy();
  });

  it('is reached from the store list, next to 门店员工', async () => {
    fakeBff(on('GET', '/api/mp/stores', () => ok({ stores: [PEOPLE_SQUARE] })));
    render(<StorePickerPage />);
    await screen.findByText('合一小馆（人民广场店）');
    expect(screen.getByText('门店员工')).toBeTruthy();
    fireEvent.click(screen.getByText('我的订单'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/orders/index' });
  });

  it('is reached from an order: back to the list it came from, else the list replaces the order', async () => {
    const order = orderView({ status: 'completed' });
    fakeBff(
      on('GET', `/api/mp/orders/${order.id}`, () => ok(order)),
      on('GET', '/api/mp/stores', () => ok({ stores: [PEOPLE_SQUARE] })),
    );
    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id }, path: '' } as never);
    render(<OrderPage />);
    fireEvent.click(await screen.findByText('我的订单'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/orders/index' });
    expect(Taro.navigateBack).not.toHaveBeenCalled();
    expect(screen.getByText('返回首页')).toBeTruthy();
    cleanup();

    vi.mocked(Taro.useRouter).mockReturnValue({ params: { id: order.id, from: 'orders' }, path: '' } as never);
    render(<OrderPage />);
    fireEvent.click(await screen.findByText('我的订单'));
    expect(Taro.navigateBack).toHaveBeenCalledTimes(1);
    expect(Taro.redirectTo).toHaveBeenCalledTimes(1);
  });
});
