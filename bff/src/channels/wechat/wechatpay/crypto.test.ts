import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  decryptResource,
  encryptResource,
  parseAuthorization,
  paySignMessage,
  readSignatureHeaders,
  requestPaymentParams,
  requestSignMessage,
  signSha256Rsa,
  signWechatpayResponse,
  verifyPaySign,
  verifyRequestAuthorization,
  verifySha256Rsa,
  verifyWechatpaySignature,
} from './crypto';

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
// wechatpay-go utils/sign_test.go: the expected SHA256withRSA signature of "source".
const GO_SIGNATURE_OF_SOURCE =
  'BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsKu1RkyaII+1' +
  'CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYG' +
  'pDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==';

const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('SHA256withRSA', () => {
  it('reproduces the wechatpay-go signature of "source" and verifies it with the published public key', () => {
    expect(signSha256Rsa('source', GO_TEST_PRIVATE_KEY)).toBe(GO_SIGNATURE_OF_SOURCE);
    // The verifier cases of wechatpay-go core/auth/verifiers/sha256withrsa_pubkey_verifier_test.go:
    expect(verifySha256Rsa('source', GO_SIGNATURE_OF_SOURCE, GO_TEST_PUBLIC_KEY)).toBe(true);
    expect(verifySha256Rsa('wrong source', GO_SIGNATURE_OF_SOURCE, GO_TEST_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('', GO_SIGNATURE_OF_SOURCE, GO_TEST_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('source', '', GO_TEST_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('source', 'invalid base64 signature', GO_TEST_PUBLIC_KEY)).toBe(false);
    expect(verifySha256Rsa('source', GO_SIGNATURE_OF_SOURCE, other.publicKey)).toBe(false);
  });
});

describe('request signing', () => {
  it('builds the sign string of wechatpay-java WechatPay2CredentialTest (GET with a query, empty body)', () => {
    // Source: wechatpay-apiv3/wechatpay-java core/src/test/java/com/wechat/pay/java/core/auth/WechatPay2CredentialTest.java
    const req = {
      method: 'GET',
      url: 'https://api.mch.weixin.qq.com/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109',
      timestamp: 1652750623,
      nonce: 'eBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u',
      body: '',
    };
    expect(requestSignMessage(req)).toBe(
      'GET\n/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109\n1652750623\neBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u\n\n',
    );
    // Same test: the Authorization fields in the order mchid, nonce_str, timestamp, serial_no, signature.
    const merchant = {
      mchId: '1234567891',
      serialNo: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
      privateKey: GO_TEST_PRIVATE_KEY,
    };
    const header = authorizationHeader(merchant, req);
    expect(header).toBe(
      'WECHATPAY2-SHA256-RSA2048 mchid="1234567891",nonce_str="eBYqCOxa0QudMnPvVilkTzOg3gHh5Z3u",timestamp="1652750623",' +
        `serial_no="5F1C72E2A8931B72A2E13AF8DEE92471EB397115",signature="${signSha256Rsa(requestSignMessage(req), GO_TEST_PRIVATE_KEY)}"`,
    );
    expect(verifyRequestAuthorization(header, req, GO_TEST_PUBLIC_KEY)?.mchid).toBe('1234567891');
  });

  it('adds the final newline even to a body that already ends in one, and signs exactly the bytes sent', () => {
    const base = { method: 'post', url: '/v3/pay/transactions/jsapi', timestamp: 1, nonce: 'N' };
    expect(requestSignMessage({ ...base, body: '{"a":1}\n' })).toBe(
      'POST\n/v3/pay/transactions/jsapi\n1\nN\n{"a":1}\n\n',
    );
    const header = authorizationHeader(
      { mchId: 'm', serialNo: 's', privateKey: GO_TEST_PRIVATE_KEY },
      { ...base, body: '{"a":1}' },
    );
    expect(verifyRequestAuthorization(header, { ...base, body: '{"a":1}' }, GO_TEST_PUBLIC_KEY)).not.toBeNull();
    expect(verifyRequestAuthorization(header, { ...base, body: '{"a": 1}' }, GO_TEST_PUBLIC_KEY)).toBeNull();
    expect(parseAuthorization('Bearer x')).toBeNull();
  });
});

describe('response and notification verification', () => {
  const body = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS"}';
  const keys = { PUB_KEY_ID_0001: GO_TEST_PUBLIC_KEY, OLD_CERT_SERIAL: other.publicKey };
  const headersOf = (h: Record<string, string>) => readSignatureHeaders((name) => h[name] ?? h[name.toLowerCase()]);
  const signed = (
    timestamp: number,
    serial = 'PUB_KEY_ID_0001',
    key: string | typeof other.privateKey = GO_TEST_PRIVATE_KEY,
  ) =>
    Object.fromEntries(
      Object.entries(signWechatpayResponse({ body, privateKey: key, serial, timestamp, nonce: 'n1' })).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );

  it('accepts a body signed under a known serial within 300 seconds, with either key during a switch-over', () => {
    expect(verifyWechatpaySignature({ headers: headersOf(signed(1000)), body, keys, nowSeconds: 1300 })).toEqual({
      ok: true,
      serial: 'PUB_KEY_ID_0001',
    });
    const old = signed(1000, 'OLD_CERT_SERIAL', other.privateKey);
    expect(verifyWechatpaySignature({ headers: headersOf(old), body, keys, nowSeconds: 700 }).ok).toBe(true);
  });

  it('refuses stale or future timestamps, unknown serials, re-serialised bodies and missing headers', () => {
    const check = (h: Record<string, string>, b = body, now = 1000) =>
      verifyWechatpaySignature({ headers: headersOf(h), body: b, keys, nowSeconds: now });
    expect(check(signed(1000), body, 1301)).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(check(signed(1000), body, 699)).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(check(signed(1000, 'PUB_KEY_ID_9999'))).toEqual({ ok: false, reason: 'unknown-serial' });
    expect(check(signed(1000, 'OLD_CERT_SERIAL'))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(check(signed(1000), JSON.stringify(JSON.parse(body), null, 1))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const { 'wechatpay-nonce': _nonce, ...noNonce } = signed(1000);
    expect(check(noNonce)).toEqual({ ok: false, reason: 'missing-headers' });
  });

  it('never accepts a WECHATPAY/SIGNTEST/ probe', () => {
    const probe = { ...signed(1000), 'wechatpay-signature': `WECHATPAY/SIGNTEST/${GO_SIGNATURE_OF_SOURCE}` };
    expect(verifyWechatpaySignature({ headers: headersOf(probe), body, keys, nowSeconds: 1000 })).toEqual({
      ok: false,
      reason: 'probe',
    });
    expect(verifySha256Rsa('source', `WECHATPAY/SIGNTEST/${GO_SIGNATURE_OF_SOURCE}`, GO_TEST_PUBLIC_KEY)).toBe(false);
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  it('reproduces the wechatpay-java AeadAesCipherTest vector both ways', () => {
    // Source: wechatpay-java core/src/test/java/com/wechat/pay/java/core/cipher/AeadAesCipherTest.java,
    // with API_V3_KEY from core/src/test/java/com/wechat/pay/java/core/model/TestConfig.java.
    const key = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
    const resource = {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: 'ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=',
      nonce: 'uluk4a9R25RW',
      associated_data: 'associatedData',
    };
    expect(decryptResource(resource, key)).toBe('message');
    expect(
      encryptResource('message', key, { nonce: 'uluk4a9R25RW', associatedData: 'associatedData' }).ciphertext,
    ).toBe(resource.ciphertext);
  });

  it('decrypts the encrypted platform certificate of wechatpay-java TestConfig to its serial', () => {
    // Source: wechatpay-java TestConfig.DOWNLOAD_CERTIFICATE_RESPONSE (nonce, associated data,
    // ciphertext) and DOWNLOAD_CERTIFICATE_SERIAL_NUMBER, under the same API_V3_KEY.
    const pem = decryptResource(
      {
        algorithm: 'AEAD_AES_256_GCM',
        nonce: '14b16c03dc1b',
        associated_data: 'certificate',
        ciphertext: CERT_CIPHERTEXT,
      },
      'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb',
    );
    expect(new X509Certificate(pem).serialNumber).toBe('5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC');
  });

  it('reproduces the wechatpay-axios-plugin AES-GCM vectors (a 16-byte IV, empty and non-empty AAD)', () => {
    // Source: TheNorthMemory/wechatpay-axios-plugin tests/lib/aes.test.js (mockupKey, mockupIv).
    const key = '0123456789abcdef0123456789abcdef';
    const decrypt = (ciphertext: string, aad: string) =>
      decryptResource(
        { algorithm: 'AEAD_AES_256_GCM', ciphertext, nonce: '0123456789abcdef', associated_data: aad },
        key,
      );
    expect(decrypt('APoZlYpivU3HjbAiB4CvW1rAFr8J', 'world')).toBe('hello');
    expect(decrypt('GvpmmdtYwexXIPhySs9Tlg==', '')).toBe('');
  });

  it('refuses a wrong key, changed data or AAD, and keys that are not 32 bytes', () => {
    // wechatpay-go utils/aes_test.go uses a 16-byte key ("testAPIv3Key0000", i.e. AES-128-GCM); the
    // APIv3 key is 32 bytes (spec §6.1), so that vector is refused here rather than reproduced.
    const resource = encryptResource('{"out_trade_no":"A1"}', 'sim-wechatpay-apiv3-key-32-bytes', {
      associatedData: 'transaction',
    });
    expect(decryptResource(resource, 'sim-wechatpay-apiv3-key-32-bytes')).toBe('{"out_trade_no":"A1"}');
    expect(() => decryptResource(resource, 'sim-wechatpay-apiv3-key-32-bytez')).toThrow();
    expect(() =>
      decryptResource({ ...resource, associated_data: 'refund' }, 'sim-wechatpay-apiv3-key-32-bytes'),
    ).toThrow();
    expect(() => decryptResource({ ...resource, ciphertext: 'AAAA' }, 'sim-wechatpay-apiv3-key-32-bytes')).toThrow(
      'malformed',
    );
    expect(() =>
      decryptResource(
        {
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: 'FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC',
          nonce: 'wCq51qZv4Yfg',
          associated_data: 'Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8',
        },
        'testAPIv3Key0000',
      ),
    ).toThrow('32 bytes');
  });
});

describe('paySign for wx.requestPayment', () => {
  it('signs appId, timeStamp, nonceStr and the whole prepay_id= package, one per line', () => {
    // Hand-computed from spec §6.5 with the example values of WeChat's JSAPI 调起支付 doc; no published
    // paySign vector with a published key was found.
    expect(
      paySignMessage(
        'wx8888888888888888',
        '1414561699',
        '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
        'prepay_id=wx201410272009395522657a690389285100',
      ),
    ).toBe(
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n',
    );
    const params = requestPaymentParams({
      appId: 'wx8888888888888888',
      prepayId: 'wx201410272009395522657a690389285100',
      privateKey: GO_TEST_PRIVATE_KEY,
      timeStamp: 1414561699,
      nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    });
    expect(params).toMatchObject({
      timeStamp: '1414561699',
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    expect(verifyPaySign('wx8888888888888888', params, GO_TEST_PUBLIC_KEY)).toBe(true);
    expect(verifyPaySign('wx0000000000000000', params, GO_TEST_PUBLIC_KEY)).toBe(false);
    expect(
      verifyPaySign(
        'wx8888888888888888',
        { ...params, package: 'wx201410272009395522657a690389285100' },
        GO_TEST_PUBLIC_KEY,
      ),
    ).toBe(false);
  });
});

const CERT_CIPHERTEXT = [
  'Mr/AxbvY+WL9hKlD5nIa03LOMPpn5f+CWeNxE4ujl0f5gXZ9XLJ9CldkArCOTsbU62XgKnTc3YvRMZQ7wCmE2fzwmAenAySTYsPm',
  's72JhggPWfdqVxri9YD5wBYKn8Ck0Fc5JIiVw9WlN2oxHBz83mRVsjoTGC5+cX1CdYqKuZ8pkvi0aCJIq07ZC8MHoTowUz+4jYJy',
  '9XeKqip83Z7BmUYxsePpNM+HtihBqTJIUYXJfX7Col5X0ACsApRoU9l6swfW/kzvqNpDJavhDBGasLrr5822+Fk5nVkcTi53f8Wb',
  'ue7ODWjJxj1yhRYcxFCvXLtpYNB+Qa1aXtrBSdBdBI2p7o+6Imn+auHLBCzkrZqF/yd+d4vTn4tqHPLUj89XcHsMf96uBo3T/HQV',
  '8LEDeIO+6YvOK9FrIDYsvp+imN4n/mnF7eJKo9mpN/QqWJiawrFpAmMMxFKBjIdpgMnVUl3Z11RcWKyfOJ3kcmItTWcnZFNyDgR9',
  'cS0aU6QPlefa3uUW89uzBuHjcFdDl43yU3LE4qZnHLDcDgx4qt0OFCLiy51GXtEpyYs5k99YJBvKK+RyIs4Yc1/smBmClQUhxW+8',
  'bsPNOcXfDvH2yX4YzESoO4TV0RqiCgnsSd4zIFyJPiMKIGzVHiw6Kg0eGCmB4mGHEEZCQ0eN3SSPO0QVjjtBYfgXDZfVHSaAB8Pj',
  'WBVNFimoViZZQrwT6Ygo0LU0Dd8+F5aHFYr4OPHPslr3hrgutEYXDTv1vTA6ABJGqknJ9Y2vtyWpy7aIwxc0kQq/1ezjs+RMVL/L',
  'RpGDnbx1/CGPDjZhYgZypKa55+PDhoaQxqkF3xCLz2DGoNHZYmFqxzAOsAK0vJZw4VcAk6ssbA6YIaMuiemEpxfLC9ZiXtRqsX9s',
  '+GWjjtA8JywOFMO+NKZm9BH/E5YNg2DDD3sHG9Mciwn7yJ6sdf8h2lAWlEExAOeiBNyshOHAQ0/S+x1ncWNiqY+Uh5n0rtonvePV',
  '2MsxVlEWR3AVHn1abcEWkzivd+G5kg7LYO0goqzGClcQfnFfZdO6KwcMXsBCnm9A1Bl4+k5LLokTIYH5/36SRIZ9j0CHGD77BQLE',
  '7x8AlNsoFS2m263tLLq78TFqvZUTIZIQcVIl+NInscS3xQbA38qqFqutCWIwoF1azuJ7woiJyMvnS3xzIpNzP+rzJ8VDXxjLjpEU',
  'BOC9WDs74+QMtsAdmh6g0KDclHEk8WJ4P2bnso4z3VCGoDT5X/0bS1C+jMZMKaOCNB21FZ08qgUHmKeDeg8ylENu+mh2Y/AaEDSG',
  'kGBHIfFbhMYO3uRxhk9hldiHEnHgdkXiVAAUWk/IhtmGijibO/L76vB74Xpes973uK+2iFKgNBk8qTLLZZnuWbcMQuA6VsFULRb/',
  'C+q9B21YuAWPMzvgBwr4EX2m/OpF5w8Q0HL7v1H5H0mIGJbrjnklUPoBYrw30W3uk7yF0KE6sfMukafFx0S9rBOL0RykGDPwC0lH',
  'SNySkXDeM5XvDJ+dtHK+RDwhJR+azfrWAHGMtZcQ+YVamjWVmHxXM03j3GeCXgqae1upwHzkPL5OwojcQ5MQi3Kv/1xtwY0cRN/y',
  'eZTOsXfujtqhkJj/Vltby4lnW4SCj4LjWQF19BY6zhzF4yybBA8bhhtoNP/zx8QkhHAkIROkK2ZVgfocCAPvfQ+vSrsIBO+L5cmg',
  '6mzFn4g84lsHscgXnszIlzUrzx/4Tam0uwuS9J1gddZ0I0QUt9SJzfsoBCTU0OgNMUtXKS5HvgXe7abexMtFH5eulOsAuFZkQ5LY',
  'Ja/m4yHFInXzL/t3hjdTi2NmxUufvYzwIyffRTu5vS9vjscARD9lUQDHFQ/xgWe1i8EkRlrSfjlXt00+4//h2bcJKyTBT3IXwvKN',
  'suY29V9/vU3HkvWKZ99zpSlmcZRuBa1BHbyPEvc0NlqIIoKidxqUvOR64MzudHhAjgWFP+IXojfhS3Gj9OJhBL7s',
].join('');
