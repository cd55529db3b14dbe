import Taro from '@tarojs/taro';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CART_KEY, cartState, reloadCart, resetCart } from '../src/cart/cart';
import MenuPage from '../src/pages/menu/index';
import { forgetStoreDirectory } from '../src/services/stores';
import { menuResponse, noodleProduct, simpleProduct, storeView } from './fixtures';
import { fakeBff, ok, on } from './http';

const STORE = '01KDVDNA00CF74YKMY8DVE2C1V';

function productRow(name: string): HTMLElement {
  const row = screen.getByText(name).closest('.menu-product');
  if (!(row instanceof HTMLElement)) throw new Error(`no .menu-product around ${name}`);
  return row;
}

const bar = () => document.querySelector('.cart-bar') as HTMLElement;
const checkoutButton = () => document.querySelector('.cart-bar__checkout') as HTMLElement;

/** The BFF with this store on the list and these dishes on its menu. */
function bffWith(store: Parameters<typeof storeView>[0], products = [noodleProduct(), simpleProduct()]) {
  return fakeBff(
    on('GET', '/api/mp/stores', () =>
      ok({ stores: [storeView({ id: STORE, name: '合一小馆（人民广场店）', ...store })] }),
    ),
    on('GET', `/api/mp/stores/${STORE}/menu`, () => ok(menuResponse(products))),
  );
}

describe('menu page', () => {
  let storage: Map<string, unknown>;
  beforeEach(() => {
    storage = new Map([['heyi.token', 'tok']]);
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => storage.get(key) ?? '');
    vi.mocked(Taro.setStorageSync).mockImplementation((key: string, value: unknown) => void storage.set(key, value));
    forgetStoreDirectory();
    resetCart();
    vi.mocked(Taro.navigateTo).mockClear();
    vi.mocked(Taro.useRouter).mockReturnValue({
      params: { storeId: STORE, storeName: '人民广场店' },
      path: '',
    } as never);
  });
  afterEach(() => cleanup());

  it('lists dishes with photos and prices in one format, marks sold-out dishes, and builds the cart', async () => {
    const soldOut = simpleProduct({
      code: 'S001',
      name: '鲜肉小笼包',
      skus: [{ code: 'S001', specText: '', options: [], price: 1800, packagingFee: 50, soldOut: true }],
    });
    const sent = bffWith({ openNow: true }, [
      { ...noodleProduct(), imageUrl: '/media/01PHOTO' },
      simpleProduct(),
      soldOut,
    ]);
    render(<MenuPage />);

    await screen.findByText('红烧牛肉面');
    expect(sent.find((r) => r.path.endsWith('/menu'))?.url).toBe(`/api/mp/stores/${STORE}/menu?channel=miniapp`);
    expect(within(productRow('红烧牛肉面')).getByText('¥28.00起')).toBeTruthy();
    expect(within(productRow('卤蛋')).getByText('¥3.00')).toBeTruthy();
    expect(within(productRow('鲜肉小笼包')).getByText('已售罄')).toBeTruthy();
    expect(within(productRow('鲜肉小笼包')).queryByText('＋')).toBeNull();
    // A photo from the BFF, lazily; a dish without one keeps its placeholder.
    expect(productRow('红烧牛肉面').querySelector('img')?.getAttribute('src')).toBe('/media/01PHOTO');
    expect(productRow('卤蛋').querySelector('img')).toBeNull();
    expect(within(productRow('卤蛋')).getByText('卤')).toBeTruthy();
    // The store up front, and the category sidebar.
    expect(await screen.findByText('营业时间 10:00–22:00')).toBeTruthy();
    expect(document.querySelector('.menu-nav__item--active')?.textContent).toBe('招牌面');
    expect(screen.getByText('未选购商品')).toBeTruthy();

    // A dish with nothing to choose goes straight in; a second tap adds to the same line.
    fireEvent.click(within(productRow('卤蛋')).getByText('＋'));
    fireEvent.click(within(productRow('卤蛋')).getByText('＋'));
    expect(within(productRow('卤蛋')).getByText('2')).toBeTruthy();
    // A dish with choices opens the picker first.
    fireEvent.click(within(productRow('红烧牛肉面')).getByText('选规格'));
    fireEvent.click(screen.getByText('微辣'));
    fireEvent.click(screen.getByText('加入购物车'));

    expect(bar().querySelector('.cart-bar__count')?.textContent).toBe('3');
    // 2 × ¥3.00 + 大碗 ¥32.00
    expect(bar().querySelector('.cart-bar__total')?.textContent).toBe('¥38.00');
    expect(cartState().items.map((i) => [i.skuCode, i.addons, i.quantity])).toEqual([
      ['S005', [], 2],
      ['N001-L', ['SPICY-1'], 1],
    ]);
    fireEvent.click(checkoutButton());
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/checkout/index' });
  });

  it('opens the cart with a title, each line’s price and 清空', async () => {
    bffWith({ openNow: true });
    render(<MenuPage />);
    await screen.findByText('卤蛋');
    fireEvent.click(within(productRow('卤蛋')).getByText('＋'));
    fireEvent.click(within(productRow('卤蛋')).getByText('＋'));
    fireEvent.click(document.querySelector('.cart-bar__summary') as HTMLElement);
    expect(screen.getByText('已选商品')).toBeTruthy();
    expect(document.querySelector('.cart-item__price')?.textContent).toBe('¥6.00');
    await act(async () => {
      fireEvent.click(screen.getByText('清空'));
    });
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '清空购物车？' }));
    expect(cartState().items).toEqual([]);
    expect(screen.queryByText('已选商品')).toBeNull();
  });

  it('keeps the cart across a reload (storage), and starts empty from unreadable storage', async () => {
    bffWith({ openNow: true });
    const first = render(<MenuPage />);
    await screen.findByText('卤蛋');
    fireEvent.click(within(productRow('卤蛋')).getByText('＋'));
    expect(JSON.parse(storage.get(CART_KEY) as string).items).toHaveLength(1);
    first.unmount();

    // The app starts again: the cart comes back from storage.
    reloadCart();
    render(<MenuPage />);
    await screen.findByText('卤蛋');
    expect(bar().querySelector('.cart-bar__count')?.textContent).toBe('1');
    expect(cartState().items[0]).toMatchObject({ skuCode: 'S005', quantity: 1, unitPrice: 300 });
    cleanup();

    // Unreadable storage starts empty rather than breaking the menu.
    storage.set(CART_KEY, '{"storeId":1}');
    reloadCart();
    expect(cartState().items).toEqual([]);
  });

  it('says up front that a closed store is 休息中 until its next opening, and takes no cart', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, now: new Date('2026-12-04T15:30:00Z') }); // 23:30 in Shanghai
    try {
      bffWith({ openNow: false, nextOpenAt: '2026-12-05T02:00:00.000Z', preorderDays: 0 });
      render(<MenuPage />);
      expect(await screen.findByText('休息中 · 明天 10:00 营业，暂不接单')).toBeTruthy();
      expect(screen.queryByText('＋')).toBeNull();
      expect(screen.queryByText('选规格')).toBeNull();
      expect(checkoutButton().textContent).toBe('休息中');
      fireEvent.click(checkoutButton());
      expect(Taro.navigateTo).not.toHaveBeenCalledWith({ url: '/pages/checkout/index' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a closed store that takes orders ahead fill a cart for a later pickup', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, now: new Date('2026-12-04T15:30:00Z') });
    try {
      bffWith({ openNow: false, nextOpenAt: '2026-12-05T02:00:00.000Z', preorderDays: 1 });
      render(<MenuPage />);
      expect(await screen.findByText('休息中 · 明天 10:00 营业，现在可预约自取')).toBeTruthy();
      fireEvent.click(within(productRow('卤蛋')).getByText('＋'));
      expect(checkoutButton().textContent).toBe('去预约');
    } finally {
      vi.useRealTimers();
    }
  });

  it('orders dine-in from the dine-in menu when a table was scanned', async () => {
    vi.mocked(Taro.useRouter).mockReturnValue({
      params: { storeId: STORE, table: 'T-SH001-A12', tableNo: 'A12' },
      path: '',
    } as never);
    const sent = bffWith({ openNow: true }, [simpleProduct()]);
    render(<MenuPage />);
    expect(await screen.findByText('堂食 · A12 号桌')).toBeTruthy();
    expect(sent.find((r) => r.path.endsWith('/menu'))?.url).toContain('channel=dinein');
    expect(cartState().table).toEqual({ code: 'T-SH001-A12', tableNo: 'A12' });
  });
});
