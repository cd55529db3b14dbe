import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Meituan's signing rules as the simulated gateways apply them, written from the specs (not shared
 * with the BFF, so each side checks the other): open-cater SHA-1 (meituan-open-cater.md §2, §3 for
 * the store-map link, §4 for pushes) and waimaiopen MD5 (delivery-platforms.md §1.1–1.2).
 */

export type MeituanParams = Readonly<Record<string, string | number | boolean | bigint | null | undefined>>;

const hex = (algorithm: 'sha1' | 'md5', text: string) => createHash(algorithm).update(text, 'utf8').digest('hex');

/** A present value as the signer sees it (raw, never URL-encoded); undefined for null. */
const raw = (value: MeituanParams[string]): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

/** Java `TreeSet<String>` order: UTF-16 code units, which is what `Array.prototype.sort` compares. */
const javaSorted = (params: MeituanParams) => Object.keys(params).sort();

function digestMatches(computed: string, given: MeituanParams[string]): boolean {
  const want = Buffer.from(computed, 'latin1');
  const got = Buffer.from((raw(given) ?? '').toLowerCase(), 'latin1');
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * open-cater: `sha1hex(signKey + k1 + v1 + k2 + v2 …)` over the keys in Java String order, after
 * dropping `sign` (in any case) and null or empty values.
 */
export function openCaterSign(signKey: string, params: MeituanParams): string {
  const parts = [signKey];
  for (const key of javaSorted(params)) {
    const value = raw(params[key]);
    if (key.toLowerCase() === 'sign' || value === undefined || value === '') continue;
    parts.push(key, value);
  }
  return hex('sha1', parts.join(''));
}

/** What the open-cater gateway (and the store-map page) checks: the params' own `sign`. */
export function verifyOpenCaterSign(signKey: string, params: MeituanParams): boolean {
  return digestMatches(openCaterSign(signKey, params), params.sign);
}

/**
 * waimaiopen: `md5hex(URL_WITHOUT_QUERY + "?" + k1=v1&k2=v2… + app_secret)`, keys in ASCII
 * order, leaving out `sig`, null values and `img_data`; empty strings are signed.
 */
export function waimaiopenSig(urlWithoutQuery: string, params: MeituanParams, appSecret: string): string {
  const pairs: string[] = [];
  for (const key of javaSorted(params)) {
    const value = raw(params[key]);
    if (key === 'sig' || key === 'img_data' || value === undefined) continue;
    pairs.push(`${key}=${value}`);
  }
  return hex('md5', `${urlWithoutQuery}?${pairs.join('&')}${appSecret}`);
}

/** What the waimaiopen gateway checks: the `sig` against the URL the call reached. */
export function verifyWaimaiopenSig(urlWithoutQuery: string, params: MeituanParams, appSecret: string): boolean {
  return digestMatches(waimaiopenSig(urlWithoutQuery, params, appSecret), params.sig);
}

/**
 * Push fields Meituan URL-encodes once before form encoding, so a receiver must decode them twice
 * (delivery-platforms.md §1.2, easy-meituan `ParamsDecoder::$casts`).
 */
export const WAIMAIOPEN_DOUBLE_ENCODED: ReadonlySet<string> = new Set(
  (
    'caution detail extras wm_poi_name wm_poi_address wm_poi_phone recipient_address recipient_name ' +
    'invoice_title incmp_modules order_tag_list backup_recipient_phone recipient_address_desensitization ' +
    'poi_receive_detail poi_receive_detail_yuan'
  ).split(' '),
);
