import Taro from '@tarojs/taro';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addToCart, cartState, openCart, resetCart } from '../src/cart/cart';
import CheckoutPage from '../src/pages/checkout/index';
import { noodleProduct, orderView, quoteResponse } from './fixtures';
import { fail, fakeBff, ok, on, type SentRequest } from './http';

const STORE = '01KDVDNA00CF74YKMY8DVE2C1V';
const PAYMENT = { timeStamp: '1796055500', nonceStr: 'N', package: 'prepay_id=wx1', signType: 'RSA', paySign: 'S' };

function fillCart(table: { code: string; tableNo: string } | null = null) {
  openCart(STORE, '合一小馆（人民广场店）', table);
  const product = noodleProduct();
  const small = product.skus[1];
  if (!small) throw new Error('fixture has no 小碗');
  addToCart(product, small, ['SPICY-1'], 2);
}

const submitButton = () => document.querySelector('.checkout__submit') as HTMLElement;
const quoteCalls = (sent: SentRequest[]) => sent.filter((r) => r.path === '/api/mp/orders/quote');
const placeCalls = (sent: SentRequest[]) => sent.filter((r) => r.path === '/api/mp/orders');

describe('checkout page', () => {
  beforeEach(() => {
    resetCart();
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => (key === 'heyi.token' ? 'tok' : ''));
    vi.mocked(Taro.redirectTo).mockClear();
    vi.mocked(Taro.requestPayment).mockReset().mockResolvedValue({ errMsg: 'requestPayment:ok' });
  });
  afterEach(() => cleanup());

  it('shows the quote: lines, packaging and total, for pickup by default, with no 配送费 line', async () => {
    fillCart();
    const sent = fakeBff(on('POST', '/api/mp/orders/quote', () => ok(quoteResponse())));
    render(<CheckoutPage />);

    expect(await screen.findByText('¥58.00')).toBeTruthy();
    expect(screen.getByText(/红烧牛肉面（小碗） 微辣 ×2/)).toBeTruthy();
    expect(document.querySelector('.quote__packaging')?.textContent).toBe('¥2.00');
    expect(document.querySelector('.quote__delivery-fee')).toBeNull();
    expect(screen.queryByText('配送费')).toBeNull();
    expect(document.querySelector('.checkout__tab--active')?.textContent).toBe('自取');
    expect(quoteCalls(sent)[0]?.data).toEqual({
      storeId: STORE,
      fulfillment: 'pickup',
      lines: [{ skuCode: 'N001-S', quantity: 2, addons: ['SPICY-1'] }],
    });
  });

  it('shows a quote error once, in Chinese, and a press on the greyed 提交订单 places nothing', async () => {
    fillCart();
    const sent = fakeBff(on('POST', '/api/mp/orders/quote', () => fail(422, 'STORE_CLOSED', '合一小馆 is closed now')));
    render(<CheckoutPage />);
    expect(await screen.findByText('门店已打烊，暂不接单')).toBeTruthy();
    expect(screen.queryByText(/closed now/)).toBeNull();
    expect(submitButton().getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(submitButton());
    await new Promise((r) => setTimeout(r, 50));
    expect(placeCalls(sent)).toHaveLength(0);
    expect(screen.getAllByText('门店已打烊，暂不接单')).toHaveLength(1);
  });

  it('asks for the address before quoting delivery, then sends it with the order', async () => {
    fillCart();
    vi.mocked(Taro.chooseLocation).mockResolvedValue({
      latitude: 31.233,
      longitude: 121.475,
      name: '人民广场',
      address: '黄浦区人民大道',
      errMsg: 'chooseLocation:ok',
    } as never);
    const sent = fakeBff(
      on('POST', '/api/mp/orders/quote', (req) =>
        (req.data as { fulfillment: string }).fulfillment === 'delivery'
          ? ok(
              quoteResponse({
                fulfillment: 'delivery',
                amounts: { items: 5600, packaging: 200, deliveryFee: 500, discount: 0, total: 6300 },
                deliveryZone: { name: '3公里内', minutes: 30 },
              }),
            )
          : ok(quoteResponse()),
      ),
    );
    render(<CheckoutPage />);
    await screen.findByText('¥58.00');
    fireEvent.click(screen.getByText('外送'));
    expect(screen.getByText('请填写收货人')).toBeTruthy();
    const before = quoteCalls(sent).length;

    fireEvent.change(screen.getByPlaceholderText('收货人'), { target: { value: '张三' } });
    fireEvent.change(screen.getByPlaceholderText('手机号'), { target: { value: '13800000000' } });
    fireEvent.change(screen.getByPlaceholderText('详细地址（门牌号）'), { target: { value: '1号楼101' } });
    expect(screen.getByText('请选择收货位置')).toBeTruthy();
    fireEvent.click(screen.getByText('选择收货位置'));

    expect(await screen.findByText('¥63.00')).toBeTruthy();
    expect(document.querySelector('.quote__delivery-fee')?.textContent).toBe('¥5.00');
    // No quote was asked for while the address was incomplete.
    expect(
      quoteCalls(sent)
        .slice(before)
        .map((r) => (r.data as { fulfillment: string }).fulfillment),
    ).toEqual(['delivery']);
    expect(quoteCalls(sent).at(-1)?.data).toMatchObject({
      fulfillment: 'delivery',
      address: { name: '张三', phone: '13800000000', address: '1号楼101', lat: 31.233, lng: 121.475 },
    });
  });

  it('places with an Idempotency-Key, reuses it after a network error, pays, and opens the order', async () => {
    fillCart();
    const order = orderView({ status: 'pending_payment' });
    let placeAttempts = 0;
    const sent = fakeBff(
      on('POST', '/api/mp/orders/quote', () => ok(quoteResponse())),
      on('POST', '/api/mp/orders', () => {
        placeAttempts += 1;
        return placeAttempts === 1 ? 'network-error' : ok({ order, payment: PAYMENT }, 201);
      }),
    );
    render(<CheckoutPage />);
    await screen.findByText('¥58.00');

    fireEvent.click(submitButton());
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy();
    expect(submitButton().textContent).toBe('重试');
    expect(Taro.requestPayment).not.toHaveBeenCalled();

    fireEvent.click(submitButton());
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/pages/order/index?id=${order.id}` }));
    const keys = placeCalls(sent).map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^mp-/);
    expect(keys[1]).toBe(keys[0]);
    expect(Taro.requestPayment).toHaveBeenCalledWith(PAYMENT);
    expect(cartState().items).toEqual([]);
  });

  it('starts a new attempt (new key) after the BFF refused the order', async () => {
    fillCart();
    let placeAttempts = 0;
    const sent = fakeBff(
      on('POST', '/api/mp/orders/quote', () => ok(quoteResponse())),
      on('POST', '/api/mp/orders', () => {
        placeAttempts += 1;
        return fail(409, 'CAPACITY_FULL', 'the kitchen is full at that time');
      }),
    );
    render(<CheckoutPage />);
    await screen.findByText('¥58.00');
    fireEvent.click(submitButton());
    expect(await screen.findByText('门店当前出餐繁忙，请稍后再试')).toBeTruthy();
    fireEvent.click(submitButton());
    await waitFor(() => expect(placeAttempts).toBe(2));
    const [first, second] = placeCalls(sent).map((r) => r.header['Idempotency-Key']);
    expect(second).not.toBe(first);
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('orders dine-in at the scanned table only', async () => {
    fillCart({ code: 'T-SH001-A12', tableNo: 'A12' });
    const sent = fakeBff(
      on('POST', '/api/mp/orders/quote', () => ok(quoteResponse({ fulfillment: 'dine_in', tableNo: 'A12' }))),
    );
    render(<CheckoutPage />);
    expect(await screen.findByText('桌号：A12')).toBeTruthy();
    expect(screen.queryByText('自取')).toBeNull();
    expect(screen.queryByText('外送')).toBeNull();
    await screen.findByText('¥58.00');
    expect(quoteCalls(sent)[0]?.data).toMatchObject({
      fulfillment: 'dine_in',
      tableCode: 'T-SH001-A12',
      tableNo: 'A12',
    });
  });
});
