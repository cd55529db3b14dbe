import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestPaymentParams } from 'bff/channels/wechat/wechatpay/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../server';
import { type SimTransaction, settings, wechatPay } from './pay';
import { WECHATPAY_TEST_KEYS } from './test-keys';

describe('the HTTP cashier (POST /wechatpay/_sim/pay)', () => {
  let sim: RunningSimulator;
  let merchant: http.Server;
  let merchantUrl: string;
  const notified: { path: string; eventType: string }[] = [];

  beforeEach(async () => {
    notified.length = 0;
    // A merchant that takes every notification (the BFF's own checks are tested in the BFF).
    merchant = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        notified.push({ path: req.url ?? '', eventType: (JSON.parse(body) as { event_type: string }).event_type });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.close();
    await new Promise((resolve) => merchant.close(resolve));
  });

  function prepay(outTradeNo: string): SimTransaction {
    const t: SimTransaction = {
      appid: settings().appId,
      mchid: settings().mchId,
      description: '1 小程序订单',
      outTradeNo,
      amount: 3500,
      payerOpenid: 'o-test',
      notifyUrl: `${merchantUrl}/webhooks/wechatpay/transactions`,
      attach: undefined,
      timeExpire: undefined,
      prepayId: `wx${outTradeNo}`,
      request: '{}',
      state: 'NOTPAY',
      transactionId: null,
      successTime: null,
    };
    wechatPay(sim.state).transactions.set(outTradeNo, t);
    return t;
  }

  const pay = async (body: unknown) => {
    const res = await fetch(`${sim.url}/wechatpay/_sim/pay`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const params = (prepayId: string, privateKey = WECHATPAY_TEST_KEYS.merchantPrivateKey) =>
    requestPaymentParams({ appId: settings().appId, prepayId, privateKey, timeStamp: Math.floor(Date.now() / 1000) });

  it('pays a prepay signed by the merchant and answers the merchant’s notify statuses', async () => {
    const t = prepay('ORDER0001');
    const answer = await pay(params(t.prepayId));
    expect(answer).toEqual({ status: 200, body: { outTradeNo: 'ORDER0001', statuses: [204] } });
    expect(t.state).toBe('SUCCESS');
    expect(notified).toEqual([{ path: '/webhooks/wechatpay/transactions', eventType: 'TRANSACTION.SUCCESS' }]);
  });

  it('refuses a bad paySign, an unknown prepay and a body that is not requestPayment parameters', async () => {
    const t = prepay('ORDER0002');
    const forged = await pay(params(t.prepayId, WECHATPAY_TEST_KEYS.platformPrivateKey));
    expect(forged).toMatchObject({ status: 400, body: { error: { code: 'SIGN_ERROR' } } });
    expect(await pay(params('wxnosuchprepay'))).toMatchObject({
      status: 400,
      body: { error: { code: 'PREPAY_NOT_FOUND' } },
    });
    expect(await pay({ package: `prepay_id=${t.prepayId}` })).toMatchObject({
      status: 400,
      body: { error: { code: 'PARAM_ERROR' } },
    });
    expect(t.state).toBe('NOTPAY');
    expect(notified).toEqual([]);
  });
});
