import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonNumber } from '../../lib/json-exact';
import {
  elemePushSignature,
  elemePushSignBase,
  elemeRequestSignature,
  elemeRequestSignBase,
  verifyElemePush,
  verifyElemeRequest,
} from './sign';

const md5Upper = (s: string) => createHash('md5').update(s).digest('hex').toUpperCase();

describe('Ele.me NOP request signature', () => {
  it('reproduces the worked example of the official signature doc', () => {
    // Source: Ele.me 签名算法 doc as mirrored at dianj.com.cn/News/Detail/21195 (the spec's
    // reference): app key, secret, token, order id, the string before MD5 and its MD5.
    const call = {
      action: 'eleme.order.getOrder',
      token: 'ed72bdaef7b635ecf9279147d76d6a55',
      metas: { app_key: 'wYO4C8ZLzB', timestamp: 1486217703 },
      params: { orderId: '100027526535707064' },
    };
    const secret = '8e81ef8b73593d6b24e0cd9f11cbe3132d11ab8e';
    expect(elemeRequestSignBase(call, secret)).toBe(
      'eleme.order.getOrdered72bdaef7b635ecf9279147d76d6a55app_key="wYO4C8ZLzB"orderId="100027526535707064"timestamp=14862177038e81ef8b73593d6b24e0cd9f11cbe3132d11ab8e',
    );
    expect(elemeRequestSignature(call, secret)).toBe('B450D7598455D163488A2ABEB1E0E0C5');
    expect(verifyElemeRequest({ ...call, signature: 'b450d7598455d163488a2abeb1e0e0c5' }, secret)).toBe(true);
    expect(verifyElemeRequest({ ...call, signature: 'B450D7598455D163488A2ABEB1E0E0C6' }, secret)).toBe(false);
  });

  it('sorts by key, not by whole k=v strings (the Python SDK bug, spec pitfall 3)', () => {
    // Hand-computed: by key "a" < "a1"; as strings 'a1=…' < 'a=…' because '1' < '='.
    const base = elemeRequestSignBase({ action: 'x', token: 't', metas: {}, params: { a1: 1, a: 2 } }, 'S');
    expect(base).toBe('xta=2a1=1S');
  });

  it('writes nested values as compact JSON without unicode or slash escaping, in the order sent', () => {
    const call = {
      action: 'eleme.product.item.updateItem',
      token: 't',
      metas: { app_key: 'k', timestamp: 1 },
      params: {
        itemId: jsonNumber('1000000000000000001'),
        properties: { name: '红烧/牛肉面', specs: [{ price: 12.5 }] },
      },
    };
    expect(elemeRequestSignBase(call, 'S')).toBe(
      'eleme.product.item.updateItemtapp_key="k"itemId=1000000000000000001properties={"name":"红烧/牛肉面","specs":[{"price":12.5}]}timestamp=1S',
    );
  });

  it('signs a string id and a numeric id differently (spec pitfall 2)', () => {
    const call = (orderId: unknown) => ({ action: 'a', token: 't', metas: {}, params: { orderId } });
    expect(elemeRequestSignature(call('123'), 'S')).not.toBe(elemeRequestSignature(call(123), 'S'));
  });

  it('lets params win over metas on a clash, as PHP array_merge does', () => {
    const base = elemeRequestSignBase(
      { action: 'a', token: '', metas: { timestamp: 1 }, params: { timestamp: 2 } },
      'S',
    );
    expect(base).toBe('atimestamp=2S');
  });
});

describe('Ele.me push signature', () => {
  // The published push example of dianj.com.cn/News/Detail/21265 (authorisation revoked, type 100),
  // written as the JSON Ele.me sends. Its secret is not published, so the expected string below is
  // hand-computed from the rule and the example's values.
  const rawBody =
    '{"requestId":"1508323693997357","type":100,"appId":23388475,' +
    '"message":"{\\"shopId\\":152128506,\\"appId\\":23388475,\\"appName\\":\\"cesqye\\",\\"relieveOAuthTime\\":\\"2017-10-18T18:48:14\\"}",' +
    '"shopId":152128506,"timestamp":1508323694030,"signature":"SIG","userId":100452735447201579}';
  const expectedBase =
    'appId=23388475' +
    'message={"shopId":152128506,"appId":23388475,"appName":"cesqye","relieveOAuthTime":"2017-10-18T18:48:14"}' +
    'requestId=1508323693997357shopId=152128506timestamp=1508323694030type=100userId=100452735447201579SECRET';
  const signed = rawBody.replace('"SIG"', `"${md5Upper(expectedBase)}"`);

  it('covers the seven fields in key order with the raw message and the exact userId', () => {
    expect(elemePushSignBase(JSON.parse(signed), 'SECRET')).not.toBe(expectedBase); // JSON.parse rounds userId
    const check = verifyElemePush(signed, 'SECRET');
    expect(check.ok).toBe(true);
    expect(check.ok && check.push.userId).toBe('100452735447201579');
    expect(check.ok && elemePushSignBase(check.push, 'SECRET')).toBe(expectedBase);
  });

  it('refuses a changed message, another secret, or a missing signature', () => {
    expect(verifyElemePush(signed.replace('cesqye', 'cesqyf'), 'SECRET')).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(verifyElemePush(signed, 'OTHER').ok).toBe(false);
    expect(verifyElemePush(rawBody.replace(',"signature":"SIG"', ''), 'SECRET').ok).toBe(false);
    expect(verifyElemePush('not json', 'SECRET')).toEqual({ ok: false, reason: 'body is not JSON' });
  });

  it('signs the same whether type and userId come as numbers or strings (newer docs send strings)', () => {
    const push = {
      requestId: 'r',
      type: 10,
      appId: 1,
      message: '{}',
      shopId: 2,
      timestamp: 3,
      userId: '5066666663248870311',
    };
    const asStrings = { ...push, type: '10', appId: '1', shopId: '2', timestamp: '3' };
    expect(elemePushSignature(asStrings, 'S')).toBe(elemePushSignature(push, 'S'));
  });
});
