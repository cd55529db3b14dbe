import Taro from '@tarojs/taro';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getOrder } from '../src/services/member';
import { payWithWechat } from '../src/services/wechat';
import { orderView } from './fixtures';
import { fail, fakeBff, ok, on } from './http';

const PAYMENT = { timeStamp: '1', nonceStr: 'N', package: 'prepay_id=wx1', signType: 'RSA' as const, paySign: 'S' };
const SUMMARY = { payee: '合一小馆', amount: 3100 };

describe('member sign-in and payment', () => {
  let storage: Map<string, unknown>;
  beforeEach(() => {
    storage = new Map();
    vi.mocked(Taro.getStorageSync).mockImplementation((key: string) => storage.get(key) ?? '');
    vi.mocked(Taro.setStorageSync).mockImplementation((key: string, value: unknown) => void storage.set(key, value));
    vi.mocked(Taro.removeStorageSync).mockImplementation((key: string) => void storage.delete(key));
    vi.mocked(Taro.login).mockClear();
  });
  afterEach(() => vi.unstubAllEnvs());

  it('signs in with wx.login first, keeps the token, and signs in again after a 401', async () => {
    const order = orderView();
    let logins = 0;
    const sent = fakeBff(
      on('POST', '/api/mp/auth/login', (req) => {
        logins += 1;
        expect(req.data).toEqual({ code: 'wx-code-1' });
        return ok({ token: `tok-${logins}`, expiresIn: 600, member: {} });
      }),
      on('GET', `/api/mp/orders/${order.id}`, (req) =>
        req.header.Authorization === 'Bearer tok-1' && logins === 1 ? fail(401, 'TOKEN_EXPIRED', 'expired') : ok(order),
      ),
    );

    await expect(getOrder(order.id)).resolves.toMatchObject({ id: order.id });
    expect(Taro.login).toHaveBeenCalledTimes(2);
    expect(storage.get('heyi.token')).toBe('tok-2');
    expect(sent.map((r) => `${r.method} ${r.path} ${r.header.Authorization ?? '-'}`)).toEqual([
      'POST /api/mp/auth/login -',
      `GET /api/mp/orders/${order.id} Bearer tok-1`,
      'POST /api/mp/auth/login -',
      `GET /api/mp/orders/${order.id} Bearer tok-2`,
    ]);
  });

  it('pays with wx.requestPayment on weapp and tells a cancel from a failure', async () => {
    vi.mocked(Taro.requestPayment).mockResolvedValueOnce({ errMsg: 'requestPayment:ok' });
    await expect(payWithWechat(PAYMENT, SUMMARY)).resolves.toEqual({ kind: 'paid' });
    expect(Taro.requestPayment).toHaveBeenLastCalledWith(PAYMENT);
    vi.mocked(Taro.requestPayment).mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    await expect(payWithWechat(PAYMENT, SUMMARY)).resolves.toEqual({ kind: 'cancelled' });
    vi.mocked(Taro.requestPayment).mockRejectedValueOnce({ errMsg: 'requestPayment:fail 支付验证签名失败' });
    await expect(payWithWechat(PAYMENT, SUMMARY)).resolves.toMatchObject({ kind: 'failed' });
  });

  it('in the H5 build, gets the login code and the payment from the simulators behind /sim', async () => {
    vi.stubEnv('TARO_ENV', 'h5');
    vi.mocked(Taro.requestPayment).mockClear();
    const sent = fakeBff(
      on('POST', '/sim/wechat/_sim/login', () => ok({ code: 'sim-code' })),
      on('POST', '/api/mp/auth/login', () => ok({ token: 'tok-h5', expiresIn: 600, member: {} })),
      on('GET', '/api/mp/orders/o1', () => ok(orderView())),
      on('POST', '/sim/wechatpay/_sim/pay', () => ok({ statuses: [204] })),
    );
    await getOrder('o1');
    // The simulated cashier asks first, as WeChat's does: no confirmation, no payment.
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' });
    await expect(payWithWechat(PAYMENT, SUMMARY)).resolves.toEqual({ kind: 'cancelled' });
    expect(sent.some((r) => r.path === '/sim/wechatpay/_sim/pay')).toBe(false);
    await expect(payWithWechat(PAYMENT, SUMMARY)).resolves.toEqual({ kind: 'paid' });
    expect(vi.mocked(Taro.showModal).mock.lastCall?.[0]).toMatchObject({
      title: '微信支付（演示）',
      content: '向 合一小馆 支付 ¥31.00',
      confirmText: '确认支付',
    });
    expect(Taro.login).not.toHaveBeenCalled();
    expect(Taro.requestPayment).not.toHaveBeenCalled();
    expect(sent.find((r) => r.path === '/api/mp/auth/login')?.data).toEqual({ code: 'sim-code' });
    expect(sent.find((r) => r.path === '/sim/wechatpay/_sim/pay')?.data).toEqual(PAYMENT);
  });
});
