import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  openCaterSign,
  openCaterSignBase,
  releaseBindingUrl,
  storeMapUrl,
  verifyOpenCaterPush,
  verifyOpenCaterSign,
  verifyWaimaiopenPush,
  verifyWaimaiopenSig,
  waimaiopenSig,
  waimaiopenSignBase,
} from './sign';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('open-cater SHA-1 sign', () => {
  it('reproduces the published OAuth-link sign of xiejiujiang/nuonuo', () => {
    // Source: xiejiujiang/nuonuo src/main/java/com/example/nuonuo/utils/MeiTuanUtil.java — signKey,
    // params and the resulting sign of its open-erp.meituan.com/general/auth link.
    const params = { developerId: '112274', businessId: '18', timestamp: '1712043215', charset: 'UTF-8' };
    expect(openCaterSignBase('wybkd1o9lsh99ttx', params)).toBe(
      'wybkd1o9lsh99ttxbusinessId18charsetUTF-8developerId112274timestamp1712043215',
    );
    expect(openCaterSign('wybkd1o9lsh99ttx', params)).toBe('8fea2970947bc45f156d4b5d63521e5acd52f365');
  });

  it.each([
    [1497368782, '03e57766181868564d6c64ca30701669ef672031'],
    [1497368866, '3e501219fe4974697cfaaf8166e09c88e6f1899c'],
    [1497368916, 'eddcd9ed486a164c8f858caaaacf4c9716ce50fd'],
  ])('reproduces a sign the real gateway accepted (Hanson/meituan-sdk log, ts %i)', (timestamp, sign) => {
    // Source: Hanson/meituan-sdk demo/meituan.log (requests answered with dish data, not
    // 签名验证失败) with the signKey from demo/config.php.
    const params = {
      ePoiId: 1,
      appAuthToken: '7706af169b2c141bd52bb0f7d2e017b8a83e6a3b1951dc26bf3102cba55dbf14',
      charset: 'UTF-8',
      timestamp,
      sign,
    };
    expect(openCaterSign('6smu0lf1ll0q6t4u', params)).toBe(sign);
    expect(verifyOpenCaterSign('6smu0lf1ll0q6t4u', params)).toBe(true);
    expect(verifyOpenCaterSign('6smu0lf1ll0q6t4x', params)).toBe(false);
  });

  it('builds the to-sign string of spec §6 (a String orderId biz, system params in Java order)', () => {
    // Hand-computed from meituan-open-cater.md §6; no published vector carries a biz.
    const params = {
      developerId: '106001',
      businessId: '2',
      charset: 'UTF-8',
      version: '2',
      timestamp: '1700000000',
      appAuthToken: 'tok',
      biz: '{"orderId":"27061900338318741"}',
    };
    expect(openCaterSignBase('KEY', params)).toBe(
      'KEYappAuthTokentokbiz{"orderId":"27061900338318741"}businessId2charsetUTF-8developerId106001timestamp1700000000version2',
    );
    const long = { ...params, biz: '{"orderId":27061900338318741}' };
    expect(openCaterSign('KEY', long)).not.toBe(openCaterSign('KEY', params));
  });

  it('leaves out sign in any case, and empty or null values', () => {
    const base = openCaterSignBase('K', { b: '2', SIGN: 'x', Sign: 'y', empty: '', none: null, gone: undefined, a: 1 });
    expect(base).toBe('Ka1b2');
  });

  it('sorts keys in Java String order (UTF-16 code units), not by code point', () => {
    // Hand-computed: U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF01 in UTF-16
    // (Java's TreeSet) although its code point is larger.
    expect(openCaterSignBase('K', { '\uFF01': 'a', '😀': 'b', Z: 'c', a: 'd' })).toBe('KZcad😀b\uFF01a');
  });

  it('verifies classic pushes and the newer envelope, whose signer skips `signature`', () => {
    const classic = { developerId: '106001', ePoiId: 'SH001', order: '{"orderId":5301890193521352344}' };
    expect(verifyOpenCaterPush('KEY', { ...classic, sign: openCaterSign('KEY', classic) })).toBe(true);
    expect(verifyOpenCaterPush('KEY', { ...classic, ePoiId: 'SH002', sign: openCaterSign('KEY', classic) })).toBe(
      false,
    );
    const envelope = { msgType: '210069', msgId: 'm1', timestamp: '1700000000', developerId: '106001', message: '{}' };
    const sign = openCaterSign('KEY', envelope);
    expect(verifyOpenCaterPush('KEY', { ...envelope, sign, signature: 'anything' })).toBe(true);
    expect(verifyOpenCaterPush('KEY', envelope)).toBe(false);
  });

  it('signs the store-map link over exactly its own parameters, with no charset', () => {
    // Hand-computed from spec §3 (no published store-map vector was found). Either timestamp unit signs.
    for (const timestamp of [1700000000, 1700000000123]) {
      const url = new URL(
        storeMapUrl(
          'https://open-erp.meituan.com/',
          { developerId: '106001', businessId: '2', ePoiId: 'SH001', ePoiName: '人民广场店', timestamp },
          'KEY',
        ),
      );
      expect(url.origin + url.pathname).toBe('https://open-erp.meituan.com/storemap');
      expect(url.searchParams.get('charset')).toBeNull();
      expect(url.searchParams.get('ePoiName')).toBe('人民广场店');
      expect(url.searchParams.get('sign')).toBe(
        sha1(`KEYbusinessId2developerId106001ePoiIdSH001ePoiName人民广场店timestamp${timestamp}`),
      );
    }
    const unbind = new URL(
      releaseBindingUrl('https://open-erp.meituan.com', { businessId: '2', appAuthToken: 't', timestamp: 1 }, 'K'),
    );
    expect(unbind.searchParams.get('sign')).toBe(sha1('KappAuthTokentbusinessId2timestamp1'));
  });
});

describe('waimaiopen MD5 sig', () => {
  it('reproduces the official signature doc example (quoted in 553325521/dcxt MTWaiMai.java)', () => {
    // Source: 553325521/dcxt src/main/java/cn/wifiedu/ssm/util/waimai/MTWaiMai.java, which quotes
    // the official doc: the string before MD5 and its signature 00934d00…. (The doc's final URL shows
    // another sig, 5c2993…, that belongs to no string it gives.)
    const url = 'http://waimaiopen.meituan.com/api/v1/poi/mget';
    const params = { timestamp: 1389751221, app_poi_codes: '31', app_id: '1235123121' };
    expect(waimaiopenSignBase(url, params, 'd31ba58fd73c71db697ab5e4946d52d')).toBe(
      'http://waimaiopen.meituan.com/api/v1/poi/mget?app_id=1235123121&app_poi_codes=31&timestamp=1389751221d31ba58fd73c71db697ab5e4946d52d',
    );
    expect(waimaiopenSig(url, params, 'd31ba58fd73c71db697ab5e4946d52d')).toBe('00934d00d0aea6f12161edfb6456143d');
  });

  it('signs raw values (Chinese as is), keeps empty values, drops sig, null and img_data', () => {
    const base = waimaiopenSignBase(
      'https://waimaiopen.meituan.com/api/v1/poi/save',
      { name: '丽华快餐', caution: '', sig: 'x', img_data: 'bytes', none: null, app_id: '1' },
      'S',
    );
    expect(base).toBe('https://waimaiopen.meituan.com/api/v1/poi/save?app_id=1&caution=&name=丽华快餐S');
    expect(() => waimaiopenSignBase('https://x/api/v1/a?b=1', {}, 'S')).toThrow('without its query');
  });

  it('checks a call against the exact URL it was made to', () => {
    const params = { app_id: '6001', timestamp: '1700000000', order_id: '27061900338318741' };
    const sig = waimaiopenSig('http://127.0.0.1:4010/api/v1/order/confirm', params, 'S');
    expect(verifyWaimaiopenSig('http://127.0.0.1:4010/api/v1/order/confirm', { ...params, sig }, 'S')).toBe(true);
    expect(verifyWaimaiopenSig('https://127.0.0.1:4010/api/v1/order/confirm', { ...params, sig }, 'S')).toBe(false);
  });
});

describe('waimaiopen push verification', () => {
  // A real new-order push captured in 553325521/dcxt MTWaiMai.java (main(), the first map dump):
  // values as they stood after one form decoding, the app secret published in the same file, and
  // the callback URL of its test server. The raw body is rebuilt by form-encoding those values,
  // which yields the `%255B…` double encoding the same file shows for another push.
  const captured: Record<string, string> = {
    original_price: '0.02',
    wm_poi_name: 't_kys6miJE',
    backup_recipient_phone: '%5B%5D',
    invoice_title: '',
    latitude: '29.77389',
    extras: '%5B%7B%7D%5D',
    delivery_time: '0',
    is_poi_first_order: 'false',
    sig: '13d861501a6d19bfbee42cd7919d9e6e',
    total: '0.02',
    avg_send_time: '4220.0',
    ctime: '1553709836',
    dinners_number: '0',
    pay_type: '2',
    caution: '',
    app_id: '3987',
    timestamp: '1553709856',
    longitude: '95.36876',
    utime: '1553709836',
    is_third_shipping: '0',
    logistics_code: '0000',
    shipper_phone: '',
    recipient_address:
      '%E8%89%B2%E9%87%91%E6%8B%89%40%23%E8%A5%BF%E8%97%8F%E8%87%AA%E6%B2%BB%E5%8C%BA%E6%9E%97%E8%8A%9D%E5%B8%82%E5%A2%A8%E8%84%B1%E5%8E%BF%E8%89%B2%E9%87%91%E6%8B%89',
    shipping_fee: '0.01',
    wm_poi_id: '2898393',
    app_poi_code: '2898393',
    is_favorites: 'true',
    has_invoiced: '0',
    taxpayer_id: '',
    day_seq: '1',
    poi_receive_detail:
      '%7B%22actOrderChargeByMt%22%3A%5B%7B%22comment%22%3A%22%E6%B4%BB%E5%8A%A8%E6%AC%BE%22%2C%22feeTypeDesc%22%3A%22%E6%B4%BB%E5%8A%A8%E6%AC%BE%22%2C%22feeTypeId%22%3A10019%2C%22moneyCent%22%3A0%7D%5D%2C%22actOrderChargeByPoi%22%3A%5B%5D%2C%22foodShareFeeChargeByPoi%22%3A0%2C%22logisticsFee%22%3A1%2C%22onlinePayment%22%3A2%2C%22wmPoiReceiveCent%22%3A2%7D',
    detail:
      '%5B%7B%22app_food_code%22%3A%2281JP3Ub5ehYXVpZd__865715985%22%2C%22box_num%22%3A1%2C%22box_price%22%3A0%2C%22cart_id%22%3A0%2C%22food_discount%22%3A1%2C%22food_name%22%3A%22MT-05%22%2C%22food_property%22%3A%22%22%2C%22price%22%3A0.01%2C%22quantity%22%3A1%2C%22sku_id%22%3A%223IDJhh9CPqPpgAmc__939716097%22%2C%22spec%22%3A%22%E4%BB%BD%22%2C%22unit%22%3A%221%22%7D%5D',
    wm_poi_address: '%E5%8D%97%E6%9E%81%E6%B4%B204%E5%8F%B7%E7%AB%99',
    recipient_name: '%E9%99%86%28%E5%85%88%E7%94%9F%29',
    order_id: '28983933726634026',
    wm_poi_phone: '4009208801',
    wm_order_id_view: '28983933726634026',
    city_id: '999999',
    status: '2',
    recipient_phone: '17865218840',
  };
  const callbackUrl = 'http://m.ddera.com/json/mt/test/callback/waimai/order/acceptOrder';
  const secret = 'ff17fa297a9a89ffa62be0ff9ebf92bf';
  const rawBody = new URLSearchParams(captured).toString();

  it('reproduces the captured push signature over the fully decoded values', () => {
    expect(rawBody).toContain('detail=%255B%257B%2522app_food_code');
    const check = verifyWaimaiopenPush(callbackUrl, rawBody, secret);
    expect(check.ok).toBe(true);
    expect(check.ok && check.decoding).toBe('double');
    expect(check.fields.recipient_name).toBe('陆(先生)');
    expect(check.fields.recipient_address).toBe('色金拉@#西藏自治区林芝市墨脱县色金拉');
    expect(JSON.parse(check.fields.detail ?? '')[0].spec).toBe('份');
  });

  it('refuses it at another URL (https, or another path) or under another secret', () => {
    expect(verifyWaimaiopenPush(callbackUrl.replace('http:', 'https:'), rawBody, secret).ok).toBe(false);
    expect(verifyWaimaiopenPush(`${callbackUrl}2`, rawBody, secret).ok).toBe(false);
    expect(verifyWaimaiopenPush(callbackUrl, rawBody, `${secret}0`).ok).toBe(false);
  });

  it('treats + in a double-encoded value as a space, and %2B as a plus', () => {
    // Hand-computed: Meituan URL-encodes "少 辣+葱" with Java's URLEncoder ("%E5%B0%91+%E8%BE%A3%2B%E8%91%B1"),
    // then form-encodes the whole body again.
    const fields = { app_id: '1', timestamp: '2', caution: '少 辣+葱', order_id: '3' };
    const sig = waimaiopenSig('https://heyi.example/webhooks/meituan/order', fields, 'S');
    const once = { ...fields, caution: '%E5%B0%91+%E8%BE%A3%2B%E8%91%B1', sig };
    const check = verifyWaimaiopenPush(
      'https://heyi.example/webhooks/meituan/order',
      new URLSearchParams(once).toString(),
      'S',
    );
    expect(check).toMatchObject({ ok: true, fields: { caution: '少 辣+葱' } });
  });

  it('falls back to the once-decoded values when a field merely looks encoded', () => {
    const fields = { app_id: '1', timestamp: '2', remark: '100%25 real', order_id: '3' };
    const sig = waimaiopenSig('https://heyi.example/cb', fields, 'S');
    const check = verifyWaimaiopenPush(
      'https://heyi.example/cb',
      new URLSearchParams({ ...fields, sig }).toString(),
      'S',
    );
    expect(check).toMatchObject({ ok: true, decoding: 'single', fields: { remark: '100%25 real' } });
  });
});
