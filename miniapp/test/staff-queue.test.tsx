import Taro from '@tarojs/taro';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import KitchenQueuePage, { QUEUE_POLL_MS } from '../src/pages-staff/queue/index';
import StockPage from '../src/pages-staff/stock/index';
import { orderView, storeView } from './fixtures';
import { fakeBff, ok, on } from './http';

const STORE = '01KDVDNA00CF74YKMY8DVE2C1V';

function ticketOf(seq: number): HTMLElement {
  const ticket = screen.getByText(`#${seq}`).closest('.ticket');
  if (!(ticket instanceof HTMLElement)) throw new Error(`no ticket #${seq}`);
  return ticket;
}

describe('staff pages', () => {
  beforeEach(() => {
    const storage: Record<string, string> = { 'heyi.staff.token': 'staff-tok', 'heyi.staff.store': STORE };
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => storage[key] ?? '');
    vi.mocked(Taro.redirectTo).mockClear();
  });
  afterEach(() => cleanup());

  it('shows the queue in the API’s order with channel, 流水号, specs, add-ons, remark and rider', async () => {
    const meituan = orderView({
      channel: 'meituan',
      daySeq: 7,
      fulfillment: 'delivery',
      remark: '不要香菜',
      delivery: {
        mode: 'platform',
        status: 'at_store',
        riderName: '李骑手',
        riderPhone: null,
        logisticsCode: '1001',
        zoneName: null,
        timeline: [],
      },
    });
    const mine = orderView({ channel: 'miniapp', daySeq: 8, status: 'accepted' });
    const sent = fakeBff(
      on('GET', `/api/staff/stores/${STORE}/queue`, () => ok({ storeId: STORE, orders: [meituan, mine] })),
    );
    render(<KitchenQueuePage />);

    await screen.findByText('#7');
    expect([...document.querySelectorAll('.ticket__seq')].map((el) => el.textContent)).toEqual(['#7', '#8']);
    const first = ticketOf(7);
    expect(within(first).getByText('美团')).toBeTruthy();
    expect(within(first).getByText('待接单')).toBeTruthy();
    expect(within(first).getByText('红烧牛肉面（小碗）')).toBeTruthy();
    expect(within(first).getByText('微辣，加卤蛋')).toBeTruthy();
    expect(within(first).getByText('备注：不要香菜')).toBeTruthy();
    expect(within(first).getByText('骑手：骑手已到店 · 李骑手')).toBeTruthy();
    expect(within(first).getByText('接单')).toBeTruthy();
    expect(within(ticketOf(8)).getByText('小程序')).toBeTruthy();
    expect(within(ticketOf(8)).getByText('出餐完成')).toBeTruthy();
    expect(sent[0]?.header.Authorization).toBe('Bearer staff-tok');
    // Channel badges are coloured by platform, and each ticket says how long it has waited.
    expect(within(first).getByText('美团').className).toContain('ticket__channel--meituan');
    expect(first.querySelector('.ticket__age')?.textContent).toMatch(/^(刚刚|\d+分钟|\d+小时(\d+分)?)$/);
  });

  it('chimes when a new order arrives, not for the orders already on screen', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const first = orderView({ daySeq: 11 });
      const second = orderView({ daySeq: 12 });
      let orders = [first];
      fakeBff(on('GET', `/api/staff/stores/${STORE}/queue`, () => ok({ storeId: STORE, orders })));
      render(<KitchenQueuePage />);
      await screen.findByText('#11');
      const chimes = () => document.querySelector('.kitchen')?.getAttribute('data-chimes');
      expect(chimes()).toBe('0');
      await act(() => vi.advanceTimersByTimeAsync(QUEUE_POLL_MS));
      expect(chimes()).toBe('0');
      orders = [first, second];
      await act(() => vi.advanceTimersByTimeAsync(QUEUE_POLL_MS));
      await screen.findByText('#12');
      expect(chimes()).toBe('1');
      expect(screen.getByText('2 单待接')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts with 接单 and cancels with a reason', async () => {
    const order = orderView({ daySeq: 3 });
    let current = order;
    const sent = fakeBff(
      on('GET', `/api/staff/stores/${STORE}/queue`, () => ok({ storeId: STORE, orders: [current] })),
      on('POST', `/api/staff/orders/${order.id}/accept`, () => {
        current = { ...order, status: 'accepted' };
        return ok(current);
      }),
      on('POST', `/api/staff/orders/${order.id}/cancel`, () => {
        current = { ...order, status: 'cancelled' };
        return ok(current);
      }),
    );
    render(<KitchenQueuePage />);
    await screen.findByText('#3');
    fireEvent.click(within(ticketOf(3)).getByText('接单'));
    expect(await within(ticketOf(3)).findByText('已接单')).toBeTruthy();
    expect(within(ticketOf(3)).getByText('出餐完成')).toBeTruthy();

    fireEvent.click(within(ticketOf(3)).getByText('取消'));
    // The reasons are whole words on one row, with a way back.
    expect([...ticketOf(3).querySelectorAll('.ticket__reasons .kbtn')].map((b) => b.textContent)).toEqual([
      '售罄',
      '太忙',
      '已打烊',
      '不取消',
    ]);
    fireEvent.click(within(ticketOf(3)).getByText('售罄'));
    await waitFor(() => expect(sent.some((r) => r.path.endsWith('/cancel'))).toBe(true));
    expect(sent.find((r) => r.path.endsWith('/cancel'))?.data).toEqual({ reason: 'sold_out' });
  });

  it('groups 沽清 by category in menu order, searches, and toggles', async () => {
    const sku = (skuCode: string, name: string, specText: string, category: string) => ({
      skuCode,
      productCode: skuCode.split('-')[0] as string,
      name,
      specText,
      category,
      quantity: null,
      soldOut: false,
      soldOutReason: null,
      soldOutUntil: null,
      dailyLimit: null,
      sku: null,
      product: null,
    });
    const items = [
      sku('N001-L', '红烧牛肉面', '大碗', '招牌面'),
      sku('N001-S', '红烧牛肉面', '小碗', '招牌面'),
      sku('R001', '宫保鸡丁饭', '', '下饭盖饭'),
      sku('D001', '酸梅汤', '', '饮品'),
    ];
    const sent = fakeBff(
      on('GET', `/api/staff/stores/${STORE}/stock`, () =>
        ok({ storeId: STORE, businessDate: '2026-11-30', items, products: [] }),
      ),
      on('PUT', `/api/staff/stores/${STORE}/stock/N001-L`, (req) =>
        ok({
          row: {},
          items: [{ ...items[0], soldOut: (req.data as { soldOut: boolean }).soldOut, soldOutReason: 'marked' }],
        }),
      ),
    );
    render(<StockPage />);
    expect(await screen.findByText('红烧牛肉面（大碗）')).toBeTruthy();
    expect([...document.querySelectorAll('.stock-group__name')].map((g) => g.textContent)).toEqual([
      '招牌面',
      '下饭盖饭',
      '饮品',
    ]);
    expect(screen.getByText('全部在售')).toBeTruthy();

    fireEvent.change(document.querySelector('.stock__search') as HTMLInputElement, { target: { value: '牛肉' } });
    expect([...document.querySelectorAll('.stock-row__name')].map((n) => n.textContent)).toEqual([
      '红烧牛肉面（大碗）',
      '红烧牛肉面（小碗）',
    ]);
    fireEvent.change(document.querySelector('.stock__search') as HTMLInputElement, { target: { value: '火锅' } });
    expect(screen.getByText('没有找到相关菜品')).toBeTruthy();
    fireEvent.change(document.querySelector('.stock__search') as HTMLInputElement, { target: { value: '' } });

    fireEvent.click(
      within(screen.getByText('红烧牛肉面（大碗）').closest('.stock-row') as HTMLElement).getByText('沽清'),
    );
    expect(await screen.findByText('已沽清')).toBeTruthy();
    expect(screen.getByText('恢复供应')).toBeTruthy();
    expect(screen.getByText('1 项已沽清')).toBeTruthy();
    expect(sent.find((r) => r.method === 'PUT')?.data).toEqual({ soldOut: true });
  });

  describe('promised times', () => {
    const deviceZone = process.env.TZ;
    beforeEach(() => {
      // A tablet left on New York time; 01:00 on 1 Dec in Shanghai, 02:00 in Tokyo.
      process.env.TZ = 'America/New_York';
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T17:00:00Z') });
    });
    afterEach(() => {
      vi.useRealTimers();
      if (deviceZone === undefined) delete process.env.TZ;
      else process.env.TZ = deviceZone;
    });

    it('are on the store’s clock, from the store list', async () => {
      const order = orderView({ daySeq: 21, promisedAt: '2026-11-30T16:46:00Z' });
      fakeBff(
        on('GET', `/api/staff/stores/${STORE}/queue`, () => ok({ storeId: STORE, orders: [order] })),
        on('GET', '/api/admin/stores', () => ok({ stores: [storeView({ id: STORE, timezone: 'Asia/Tokyo' })] })),
      );
      render(<KitchenQueuePage />);
      await screen.findByText('#21');
      await waitFor(() => expect(within(ticketOf(21)).getByText('01:46 前出餐')).toBeTruthy());
    });

    it('are on Shanghai time when the store list cannot be read', async () => {
      const order = orderView({ daySeq: 22, promisedAt: '2026-11-30T16:46:00Z' });
      fakeBff(on('GET', `/api/staff/stores/${STORE}/queue`, () => ok({ storeId: STORE, orders: [order] })));
      render(<KitchenQueuePage />);
      await screen.findByText('#22');
      expect(within(ticketOf(22)).getByText('00:46 前出餐')).toBeTruthy();
    });
  });
});
