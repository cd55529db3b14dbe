import Taro from '@tarojs/taro';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import KitchenQueuePage from '../src/pages-staff/queue/index';
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
    fireEvent.click(within(ticketOf(3)).getByText('售罄'));
    await waitFor(() => expect(sent.some((r) => r.path.endsWith('/cancel'))).toBe(true));
    expect(sent.find((r) => r.path.endsWith('/cancel'))?.data).toEqual({ reason: 'sold_out' });
  });

  it('toggles 沽清 on the stock screen', async () => {
    const item = {
      skuCode: 'N001-L',
      productCode: 'N001',
      name: '红烧牛肉面',
      specText: '大碗',
      quantity: null,
      soldOut: false,
      soldOutReason: null,
      soldOutUntil: null,
      dailyLimit: null,
      sku: null,
      product: null,
    };
    const sent = fakeBff(
      on('GET', `/api/staff/stores/${STORE}/stock`, () =>
        ok({ storeId: STORE, businessDate: '2026-11-30', items: [item], products: [] }),
      ),
      on('PUT', `/api/staff/stores/${STORE}/stock/N001-L`, (req) =>
        ok({
          row: {},
          items: [{ ...item, soldOut: (req.data as { soldOut: boolean }).soldOut, soldOutReason: 'marked' }],
        }),
      ),
    );
    render(<StockPage />);
    expect(await screen.findByText('红烧牛肉面（大碗）')).toBeTruthy();
    expect(screen.getByText('在售')).toBeTruthy();
    fireEvent.click(screen.getByText('沽清'));
    expect(await screen.findByText('已沽清')).toBeTruthy();
    expect(screen.getByText('恢复供应')).toBeTruthy();
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
      await waitFor(() => expect(within(ticketOf(21)).getByText('自取 · 01:46 前')).toBeTruthy());
    });

    it('are on Shanghai time when the store list cannot be read', async () => {
      const order = orderView({ daySeq: 22, promisedAt: '2026-11-30T16:46:00Z' });
      fakeBff(on('GET', `/api/staff/stores/${STORE}/queue`, () => ok({ storeId: STORE, orders: [order] })));
      render(<KitchenQueuePage />);
      await screen.findByText('#22');
      expect(within(ticketOf(22)).getByText('自取 · 00:46 前')).toBeTruthy();
    });
  });
});
