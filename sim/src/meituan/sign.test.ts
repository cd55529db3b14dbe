import { openCaterSign as bffOpenCaterSign, waimaiopenSig as bffWaimaiopenSig } from 'bff/channels/meituan/sign';
import { describe, expect, it } from 'vitest';
import {
  openCaterSign,
  verifyOpenCaterSign,
  verifyWaimaiopenSig,
  WAIMAIOPEN_DOUBLE_ENCODED,
  waimaiopenSig,
} from './sign';

// Published vectors, values only: the BFF's own tests check its implementation against the same ones.
describe('the simulator’s open-cater SHA-1 sign', () => {
  it('reproduces the OAuth-link sign published in xiejiujiang/nuonuo MeiTuanUtil.java', () => {
    const params = { developerId: '112274', businessId: '18', timestamp: '1712043215', charset: 'UTF-8' };
    expect(openCaterSign('wybkd1o9lsh99ttx', params)).toBe('8fea2970947bc45f156d4b5d63521e5acd52f365');
  });

  it.each([
    [1497368782, '03e57766181868564d6c64ca30701669ef672031'],
    [1497368866, '3e501219fe4974697cfaaf8166e09c88e6f1899c'],
    [1497368916, 'eddcd9ed486a164c8f858caaaacf4c9716ce50fd'],
  ])(
    'accepts the request the real gateway accepted in Hanson/meituan-sdk demo/meituan.log (ts %i)',
    (timestamp, sign) => {
      const params = {
        ePoiId: 1,
        appAuthToken: '7706af169b2c141bd52bb0f7d2e017b8a83e6a3b1951dc26bf3102cba55dbf14',
        charset: 'UTF-8',
        timestamp,
        sign,
      };
      expect(verifyOpenCaterSign('6smu0lf1ll0q6t4u', params)).toBe(true);
      expect(verifyOpenCaterSign('6smu0lf1ll0q6t4u', { ...params, sign: sign.toUpperCase() })).toBe(true);
      expect(verifyOpenCaterSign('6smu0lf1ll0q6t4u', { ...params, ePoiId: 2 })).toBe(false);
      expect(verifyOpenCaterSign('6smu0lf1ll0q6t4x', params)).toBe(false);
    },
  );

  it('leaves out sign in any case and empty or null values, and sorts keys by UTF-16 code unit', () => {
    const plain = { a: '1', b: '2' };
    const noisy = { ...plain, SIGN: 'x', Sign: 'y', empty: '', none: null, gone: undefined };
    expect(openCaterSign('K', noisy)).toBe(openCaterSign('K', plain));
    // U+1F600 is D83D DE00 in UTF-16 and sorts before U+FF01, as in Java's TreeSet (spec §2 step 2).
    const sorted = openCaterSign('K', { '\uFF01': 'a', '😀': 'b' });
    expect(sorted).toBe(openCaterSign('K', { '😀': 'b', '\uFF01': 'a' }));
    expect(sorted).toBe(bffOpenCaterSign('K', { '😀': 'b', '\uFF01': 'a' }));
  });

  it('signs a String and a Long orderId biz differently, and agrees with the BFF on both (spec §6)', () => {
    const system = { developerId: '106001', businessId: '2', charset: 'UTF-8', version: '2', timestamp: '1700000000' };
    const asString = { ...system, appAuthToken: 'tok', biz: '{"orderId":"27061900338318741"}' };
    const asLong = { ...asString, biz: '{"orderId":27061900338318741}' };
    expect(openCaterSign('KEY', asString)).not.toBe(openCaterSign('KEY', asLong));
    expect(openCaterSign('KEY', asString)).toBe(bffOpenCaterSign('KEY', asString));
    expect(openCaterSign('KEY', asLong)).toBe(bffOpenCaterSign('KEY', asLong));
  });
});

describe('the simulator’s waimaiopen MD5 sig', () => {
  it('reproduces the official doc example quoted in 553325521/dcxt MTWaiMai.java', () => {
    const url = 'http://waimaiopen.meituan.com/api/v1/poi/mget';
    const params = { timestamp: 1389751221, app_poi_codes: '31', app_id: '1235123121' };
    expect(waimaiopenSig(url, params, 'd31ba58fd73c71db697ab5e4946d52d')).toBe('00934d00d0aea6f12161edfb6456143d');
    const sig = '00934d00d0aea6f12161edfb6456143d';
    expect(verifyWaimaiopenSig(url, { ...params, sig }, 'd31ba58fd73c71db697ab5e4946d52d')).toBe(true);
    expect(
      verifyWaimaiopenSig(url.replace('http:', 'https:'), { ...params, sig }, 'd31ba58fd73c71db697ab5e4946d52d'),
    ).toBe(false);
  });

  it('reproduces the sig of the real push captured in dcxt, over the fully decoded values', () => {
    // 553325521/dcxt MTWaiMai.java main(): a new-order push with the app secret and callback URL
    // published in the same file; the double-encoded fields are given here decoded.
    const fields = {
      original_price: '0.02',
      wm_poi_name: 't_kys6miJE',
      backup_recipient_phone: '[]',
      invoice_title: '',
      latitude: '29.77389',
      extras: '[{}]',
      delivery_time: '0',
      is_poi_first_order: 'false',
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
      recipient_address: '色金拉@#西藏自治区林芝市墨脱县色金拉',
      shipping_fee: '0.01',
      wm_poi_id: '2898393',
      app_poi_code: '2898393',
      is_favorites: 'true',
      has_invoiced: '0',
      taxpayer_id: '',
      day_seq: '1',
      poi_receive_detail:
        '{"actOrderChargeByMt":[{"comment":"活动款","feeTypeDesc":"活动款","feeTypeId":10019,"moneyCent":0}],"actOrderChargeByPoi":[],"foodShareFeeChargeByPoi":0,"logisticsFee":1,"onlinePayment":2,"wmPoiReceiveCent":2}',
      detail:
        '[{"app_food_code":"81JP3Ub5ehYXVpZd__865715985","box_num":1,"box_price":0,"cart_id":0,"food_discount":1,"food_name":"MT-05","food_property":"","price":0.01,"quantity":1,"sku_id":"3IDJhh9CPqPpgAmc__939716097","spec":"份","unit":"1"}]',
      wm_poi_address: '南极洲04号站',
      recipient_name: '陆(先生)',
      order_id: '28983933726634026',
      wm_poi_phone: '4009208801',
      wm_order_id_view: '28983933726634026',
      city_id: '999999',
      status: '2',
      recipient_phone: '17865218840',
    };
    const callback = 'http://m.ddera.com/json/mt/test/callback/waimai/order/acceptOrder';
    expect(waimaiopenSig(callback, fields, 'ff17fa297a9a89ffa62be0ff9ebf92bf')).toBe(
      '13d861501a6d19bfbee42cd7919d9e6e',
    );
    for (const key of ['detail', 'extras', 'recipient_name', 'recipient_address', 'poi_receive_detail']) {
      expect(WAIMAIOPEN_DOUBLE_ENCODED.has(key)).toBe(true);
    }
  });

  it('signs empty values, drops sig, null and img_data, and agrees with the BFF', () => {
    const url = 'https://waimaiopen.meituan.com/api/v1/poi/save';
    const params = { name: '丽华快餐', caution: '', app_id: '1' };
    const noisy = { ...params, sig: 'x', img_data: 'bytes', none: null };
    expect(waimaiopenSig(url, noisy, 'S')).toBe(waimaiopenSig(url, params, 'S'));
    expect(waimaiopenSig(url, params, 'S')).not.toBe(waimaiopenSig(url, { name: '丽华快餐', app_id: '1' }, 'S'));
    expect(waimaiopenSig(url, noisy, 'S')).toBe(bffWaimaiopenSig(url, noisy, 'S'));
  });
});
