import { createHash } from 'node:crypto';
import { elemeRequestSignature as bffRequestSignature, verifyElemePush } from 'bff/channels/eleme/sign';
import { describe, expect, it } from 'vitest';
import { jsonNumber, parseJsonExact } from '../json';
import { elemePushSignature, elemeRequestSignature, verifyElemeRequest } from './sign';

describe('the simulator’s Ele.me NOP request signature', () => {
  it('reproduces the worked example of the official signature doc (dianj.com.cn/News/Detail/21195)', () => {
    const call = {
      action: 'eleme.order.getOrder',
      token: 'ed72bdaef7b635ecf9279147d76d6a55',
      metas: { app_key: 'wYO4C8ZLzB', timestamp: 1486217703 },
      params: { orderId: '100027526535707064' },
    };
    const secret = '8e81ef8b73593d6b24e0cd9f11cbe3132d11ab8e';
    expect(elemeRequestSignature(call, secret)).toBe('B450D7598455D163488A2ABEB1E0E0C5');
    expect(verifyElemeRequest({ ...call, signature: 'b450d7598455d163488a2abeb1e0e0c5' }, secret)).toBe(true);
    expect(verifyElemeRequest({ ...call, signature: 'B450D7598455D163488A2ABEB1E0E0C6' }, secret)).toBe(false);
    expect(verifyElemeRequest({ ...call, signature: undefined }, secret)).toBe(false);
  });

  it('sorts by key (a before a1), lets params win over metas, and tells "123" from 123', () => {
    const byKey = { action: 'x', token: 't', metas: {}, params: { a1: 1, a: 2 } };
    expect(elemeRequestSignature(byKey, 'S')).toBe(bffRequestSignature(byKey, 'S'));
    const clash = { action: 'a', token: '', metas: { timestamp: 1 }, params: { timestamp: 2 } };
    expect(elemeRequestSignature(clash, 'S')).toBe(elemeRequestSignature({ ...clash, metas: {} }, 'S'));
    const id = (orderId: unknown) => ({ action: 'a', token: 't', metas: {}, params: { orderId } });
    expect(elemeRequestSignature(id('123'), 'S')).not.toBe(elemeRequestSignature(id(123), 'S'));
  });

  it('checks a body as received: exact big integers, nested keys in the order sent, no escaping', () => {
    const body =
      '{"nop":"1.0.0","id":"X|1","action":"eleme.product.item.batchUpdateStock","token":"t",' +
      '"metas":{"app_key":"k","timestamp":1},"params":{"shopId":1000000000000000001,' +
      '"stockMap":{"20":{"name":"红烧/牛肉面"},"3":{"stock":5}}},"signature":"SIG"}';
    const parsed = parseJsonExact(body, { bigIntegers: 'raw' }) as {
      action: string;
      token: string;
      metas: Record<string, unknown>;
      params: Record<string, unknown>;
    };
    const call = { action: parsed.action, token: parsed.token, metas: parsed.metas, params: parsed.params };
    const sent = {
      ...call,
      params: {
        shopId: jsonNumber('1000000000000000001'),
        stockMap: JSON.parse('{"20":{"name":"红烧/牛肉面"},"3":{"stock":5}}'),
      },
    };
    // JSON.parse moves "3" before "20": the BFF signing a plain object would sign another string.
    const signature = elemeRequestSignature(call, 'S');
    expect(signature).not.toBe(elemeRequestSignature(sent, 'S'));
    // Hand-computed from spec §2.1: k=json(v) in key order, nested members as sent.
    const base =
      'eleme.product.item.batchUpdateStocktapp_key="k"shopId=1000000000000000001' +
      'stockMap={"20":{"name":"红烧/牛肉面"},"3":{"stock":5}}timestamp=1S';
    expect(signature).toBe(createHash('md5').update(base, 'utf8').digest('hex').toUpperCase());
  });
});

describe('the simulator’s Ele.me push signature', () => {
  it('signs the published push example (dianj.com.cn/News/Detail/21265) so that the BFF accepts it', () => {
    const push = {
      requestId: '1508323693997357',
      type: 100,
      appId: 23388475,
      message: '{"shopId":152128506,"appId":23388475,"appName":"cesqye","relieveOAuthTime":"2017-10-18T18:48:14"}',
      shopId: 152128506,
      timestamp: 1508323694030,
      userId: jsonNumber('100452735447201579'),
    };
    const signature = elemePushSignature(push, 'SECRET');
    const raw =
      '{"requestId":"1508323693997357","type":100,"appId":23388475,' +
      `"message":${JSON.stringify(push.message)},"shopId":152128506,"timestamp":1508323694030,` +
      `"signature":"${signature}","userId":100452735447201579}`;
    expect(verifyElemePush(raw, 'SECRET').ok).toBe(true);
    expect(verifyElemePush(raw, 'OTHER').ok).toBe(false);
    // A string userId (newer docs) signs the same; the signature itself is never covered.
    expect(elemePushSignature({ ...push, userId: '100452735447201579', signature: 'x' }, 'SECRET')).toBe(signature);
  });
});
