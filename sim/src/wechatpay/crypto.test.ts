import { createSign } from 'node:crypto';
import {
  authorizationHeader,
  decryptResource,
  readSignatureHeaders,
  requestPaymentParams,
  verifyWechatpaySignature,
} from 'bff/channels/wechat/wechatpay/crypto';
import { describe, expect, it } from 'vitest';
import { encryptResource, signWechatpayResponse, verifyPaySign, verifyRequestAuthorization } from './crypto';

// The RSA test key pair of wechatpay-apiv3/wechatpay-go: the private key from utils/sign_test.go
// (published as "TESTING KEY"), the public key from core/auth/verifiers/sha256withrsa_pubkey_verifier_test.go.
const GO_TEST_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END PRIVATE KEY-----`;
const GO_TEST_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2VCTd91fnUn73Xy9DLvt
/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXagHQ4vGeZN0yqm++rDsGK+
U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOmDeJf2vg6byms9RUipiq4
SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B834uxl1zNLYQCrkdBzb8oU
xwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGfy8wus7hwKz6clt3Whmmd
a7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtkaSef4FdEEgEXJiw0VAJT
8wIDAQAB
-----END PUBLIC KEY-----`;

const rsa = (message: string) => createSign('RSA-SHA256').update(message, 'utf8').sign(GO_TEST_PRIVATE_KEY, 'base64');

describe('the simulator checking a merchant’s Authorization', () => {
  // The request of wechatpay-java WechatPay2CredentialTest: GET with a query and an empty body.
  const path = '/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109';
  const nonce = 'eBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u';
  const header = (signature: string) =>
    `WECHATPAY2-SHA256-RSA2048 mchid="1234567891",nonce_str="${nonce}",timestamp="1652750623",` +
    `serial_no="5F1C72E2A8931B72A2E13AF8DEE92471EB397115",signature="${signature}"`;

  it('verifies RSA-SHA256 over METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n (spec §6.2)', () => {
    const signature = rsa(`GET\n${path}\n1652750623\n${nonce}\n\n`);
    const fields = verifyRequestAuthorization(
      header(signature),
      { method: 'GET', url: path, body: '' },
      GO_TEST_PUBLIC_KEY,
    );
    expect(fields).toEqual({
      mchid: '1234567891',
      nonce_str: nonce,
      timestamp: '1652750623',
      serial_no: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
      signature,
    });
    // Another query, another body, a missing last newline, or a SIGNTEST probe fail.
    const req = { method: 'GET', url: path, body: '' };
    expect(verifyRequestAuthorization(header(signature), { ...req, url: `${path}0` }, GO_TEST_PUBLIC_KEY)).toBeNull();
    expect(verifyRequestAuthorization(header(signature), { ...req, body: '{}' }, GO_TEST_PUBLIC_KEY)).toBeNull();
    const short = rsa(`GET\n${path}\n1652750623\n${nonce}\n`);
    expect(verifyRequestAuthorization(header(short), req, GO_TEST_PUBLIC_KEY)).toBeNull();
    expect(verifyRequestAuthorization(header(`WECHATPAY/SIGNTEST/${signature}`), req, GO_TEST_PUBLIC_KEY)).toBeNull();
    expect(verifyRequestAuthorization(`Bearer ${signature}`, req, GO_TEST_PUBLIC_KEY)).toBeNull();
    expect(verifyRequestAuthorization(undefined, req, GO_TEST_PUBLIC_KEY)).toBeNull();
  });

  it('accepts what the BFF signs, and only the exact body it signed', () => {
    const req = {
      method: 'POST',
      url: '/v3/pay/transactions/jsapi',
      timestamp: 1700000000,
      nonce: 'N',
      body: '{"a":1}',
    };
    const signed = authorizationHeader({ mchId: 'm', serialNo: 's', privateKey: GO_TEST_PRIVATE_KEY }, req);
    expect(verifyRequestAuthorization(signed, req, GO_TEST_PUBLIC_KEY)?.mchid).toBe('m');
    expect(verifyRequestAuthorization(signed, { ...req, body: '{"a": 1}' }, GO_TEST_PUBLIC_KEY)).toBeNull();
  });
});

describe('the simulator signing responses and notifications', () => {
  it('signs TIMESTAMP\\nNONCE\\nBODY\\n under the given serial, which the BFF verifies (spec §6.3)', () => {
    const body = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS"}';
    const headers = signWechatpayResponse({
      body,
      privateKey: GO_TEST_PRIVATE_KEY,
      serial: 'PUB_KEY_ID_0001',
      timestamp: 1000,
      nonce: 'n1',
    });
    expect(headers).toEqual({
      'Wechatpay-Timestamp': '1000',
      'Wechatpay-Nonce': 'n1',
      'Wechatpay-Signature': rsa(`1000\nn1\n${body}\n`),
      'Wechatpay-Serial': 'PUB_KEY_ID_0001',
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    });
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const check = (b: string) =>
      verifyWechatpaySignature({
        headers: readSignatureHeaders((name) => lower[name]),
        body: b,
        keys: { PUB_KEY_ID_0001: GO_TEST_PUBLIC_KEY },
        nowSeconds: 1000,
      });
    expect(check(body)).toEqual({ ok: true, serial: 'PUB_KEY_ID_0001' });
    expect(check(`${body} `).ok).toBe(false);
    expect(
      signWechatpayResponse({ body, privateKey: GO_TEST_PRIVATE_KEY, serial: 's', timestamp: 1 })['Wechatpay-Nonce'],
    ).toMatch(/^[0-9A-F]{32}$/);
  });
});

describe('the simulator encrypting a notification resource (AEAD_AES_256_GCM, spec §6.6)', () => {
  it('reproduces the wechatpay-java AeadAesCipherTest vector', () => {
    // wechatpay-java core/src/test/java/com/wechat/pay/java/core/cipher/AeadAesCipherTest.java,
    // API_V3_KEY from TestConfig.java.
    expect(
      encryptResource('message', 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb', {
        nonce: 'uluk4a9R25RW',
        associatedData: 'associatedData',
      }),
    ).toEqual({
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: 'ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=',
      nonce: 'uluk4a9R25RW',
      associated_data: 'associatedData',
    });
  });

  it('reproduces the wechatpay-axios-plugin vectors (tests/lib/aes.test.js), with and without AAD', () => {
    const key = '0123456789abcdef0123456789abcdef';
    const nonce = '0123456789abcdef';
    expect(encryptResource('hello', key, { nonce, associatedData: 'world' }).ciphertext).toBe(
      'APoZlYpivU3HjbAiB4CvW1rAFr8J',
    );
    expect(encryptResource('', key, { nonce }).ciphertext).toBe('GvpmmdtYwexXIPhySs9Tlg==');
  });

  it('writes a 12-character nonce and the original type, which the BFF decrypts; refuses a short key', () => {
    const resource = encryptResource('{"out_trade_no":"A1"}', 'sim-wechatpay-apiv3-key-32-bytes', {
      associatedData: 'transaction',
      originalType: 'transaction',
    });
    expect(resource.nonce).toHaveLength(12);
    expect(resource.original_type).toBe('transaction');
    expect(decryptResource(resource, 'sim-wechatpay-apiv3-key-32-bytes')).toBe('{"out_trade_no":"A1"}');
    expect(() => encryptResource('x', 'testAPIv3Key0000')).toThrow('not 32');
  });
});

describe('the simulator checking paySign (spec §6.5)', () => {
  // The example values of WeChat's JSAPI 调起支付 doc.
  const appId = 'wx8888888888888888';
  const params = {
    timeStamp: '1414561699',
    nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    package: 'prepay_id=wx201410272009395522657a690389285100',
    signType: 'RSA' as const,
  };

  it('verifies RSA-SHA256 over appId, timeStamp, nonceStr and the whole package, one per line', () => {
    const paySign = rsa(`${appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`);
    expect(verifyPaySign(appId, { ...params, paySign }, GO_TEST_PUBLIC_KEY)).toBe(true);
    expect(verifyPaySign('wx0000000000000000', { ...params, paySign }, GO_TEST_PUBLIC_KEY)).toBe(false);
    const bareId = rsa(`${appId}\n${params.timeStamp}\n${params.nonceStr}\nwx201410272009395522657a690389285100\n`);
    expect(verifyPaySign(appId, { ...params, paySign: bareId }, GO_TEST_PUBLIC_KEY)).toBe(false);
  });

  it('accepts the parameters the BFF hands the mini-program', () => {
    const handed = requestPaymentParams({
      appId,
      prepayId: 'wx201410272009395522657a690389285100',
      privateKey: GO_TEST_PRIVATE_KEY,
      timeStamp: 1414561699,
    });
    expect(verifyPaySign(appId, handed, GO_TEST_PUBLIC_KEY)).toBe(true);
  });
});
