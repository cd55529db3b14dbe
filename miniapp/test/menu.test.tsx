import Taro from '@tarojs/taro';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cartState, resetCart } from '../src/cart/cart';
import MenuPage from '../src/pages/menu/index';
import { menuResponse, noodleProduct, simpleProduct } from './fixtures';
import { fakeBff, ok, on } from './http';

const STORE = '01KDVDNA00CF74YKMY8DVE2C1V';

function productRow(name: string): HTMLElement {
  const row = screen.getByText(name).closest('.menu-product');
  if (!(row instanceof HTMLElement)) throw new Error(`no .menu-product around ${name}`);
  return row;
}

describe('menu page', () => {
  beforeEach(() => {
    resetCart();
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => (key === 'heyi.token' ? 'tok' : ''));
    vi.mocked(Taro.useRouter).mockReturnValue({
      params: { storeId: STORE, storeName: '人民广场店' },
      path: '',
    } as never);
  });
  afterEach(() => cleanup());

  it('lists dishes with prices from fen, marks sold-out dishes, and builds the cart', async () => {
    const soldOut = simpleProduct({
      code: 'S001',
      name: '鲜肉小笼包',
      skus: [{ code: 'S001', specText: '', options: [], price: 1800, packagingFee: 50, soldOut: true }],
    });
    const sent = fakeBff(
      on('GET', `/api/mp/stores/${STORE}/menu`, () => ok(menuResponse([noodleProduct(), simpleProduct(), soldOut]))),
    );
    render(<MenuPage />);

    await screen.findByText('红烧牛肉面');
    expect(sent[0]?.url).toBe(`/api/mp/stores/${STORE}/menu?channel=miniapp`);
    expect(within(productRow('红烧牛肉面')).getByText('¥28.00起')).toBeTruthy();
    expect(within(productRow('卤蛋')).getByText('¥3.00')).toBeTruthy();
    expect(within(productRow('鲜肉小笼包')).getByText('已售罄')).toBeTruthy();
    expect(within(productRow('鲜肉小笼包')).queryByText('+')).toBeNull();
    expect(screen.getByText('购物车是空的')).toBeTruthy();

    // A dish with nothing to choose goes straight in; a second tap adds to the same line.
    fireEvent.click(within(productRow('卤蛋')).getByText('+'));
    fireEvent.click(within(productRow('卤蛋')).getByText('+'));
    // A dish with choices opens the picker first.
    fireEvent.click(within(productRow('红烧牛肉面')).getByText('选规格'));
    fireEvent.click(screen.getByText('微辣'));
    fireEvent.click(screen.getByText('加入购物车'));

    expect(screen.getByText('已选 3 件')).toBeTruthy();
    // 2 × ¥3.00 + 大碗 ¥32.00
    expect(screen.getByText('约 ¥38.00')).toBeTruthy();
    expect(cartState().items.map((i) => [i.skuCode, i.addons, i.quantity])).toEqual([
      ['S005', [], 2],
      ['N001-L', ['SPICY-1'], 1],
    ]);
  });

  it('orders dine-in from the dine-in menu when a table was scanned', async () => {
    vi.mocked(Taro.useRouter).mockReturnValue({
      params: { storeId: STORE, table: 'T-SH001-A12', tableNo: 'A12' },
      path: '',
    } as never);
    const sent = fakeBff(on('GET', `/api/mp/stores/${STORE}/menu`, () => ok(menuResponse([simpleProduct()]))));
    render(<MenuPage />);
    expect(await screen.findByText('堂食 · A12 号桌')).toBeTruthy();
    expect(sent[0]?.url).toContain('channel=dinein');
    expect(cartState().table).toEqual({ code: 'T-SH001-A12', tableNo: 'A12' });
  });
});
