import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Meituan's two signing rules, byte for byte (specs meituan-open-cater.md §2–4 and
 * delivery-platforms.md §1.1–1.2). Used by the BFF's transports and push receivers; the
 * simulator has its own reading of the same rules (sim/src/meituan/sign.ts), so the two check
 * each other.
 */

export type SignValue = string | number | bigint | boolean | null | undefined;
export type SignParams = Readonly<Record<string, SignValue>>;

const text = (value: SignValue): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** Compares two hex digests without leaking where they differ; case-insensitive. */
function sameDigest(expected: string, given: SignValue): boolean {
  const a = Buffer.from(expected.toLowerCase());
  const b = Buffer.from((text(given) ?? '').toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Keys in Java `String.compareTo` order (the SDK sorts with a TreeSet), which is UTF-16 code unit
 * order: exactly what JS's default sort compares. `localeCompare` would differ.
 */
const javaOrder = (keys: string[]): string[] => [...keys].sort();

// ---------------------------------------------------------------------------------------------
// open-cater (api-open-cater.meituan.com): SHA-1 over signKey + k1v1k2v2…

/**
 * The string the open-cater SHA-1 covers: `signKey` then `k + v` for every key in Java String
 * order, leaving out `sign` (any case), null and empty values. Values are raw (not URL-encoded).
 * Pushes in the newer envelope also carry `signature`, which is left out too (`skip`).
 */
export function openCaterSignBase(signKey: string, params: SignParams, skip: readonly string[] = ['sign']): string {
  const skipped = new Set(skip.map((k) => k.toLowerCase()));
  let base = signKey;
  for (const key of javaOrder(Object.keys(params))) {
    const value = text(params[key]);
    if (skipped.has(key.toLowerCase()) || value === undefined || value === '') continue;
    base += key + value;
  }
  return base;
}

/** The open-cater `sign`: lowercase hex SHA-1 of `openCaterSignBase`. */
export function openCaterSign(signKey: string, params: SignParams): string {
  return sha1(openCaterSignBase(signKey, params));
}

/** Checks a signed open-cater request (its own `sign` field) as the gateway does. */
export function verifyOpenCaterSign(signKey: string, params: SignParams): boolean {
  return sameDigest(openCaterSign(signKey, params), params.sign);
}

/**
 * Checks a push from the open-cater side: the classic per-type pushes (`developerId`, `ePoiId`,
 * `sign`, payload field) and the newer `msgType` envelope, whose signer (E4J
 * `MeituanCallbackSigner`) also leaves out a `signature` field. `fields` are the form-decoded values.
 */
export function verifyOpenCaterPush(signKey: string, fields: SignParams): boolean {
  const sign = Object.entries(fields).find(([k]) => k.toLowerCase() === 'sign')?.[1];
  return sameDigest(sha1(openCaterSignBase(signKey, fields, ['sign', 'signature'])), sign);
}

export interface StoreMapLink {
  developerId: string;
  businessId: string;
  /** Our store code. */
  ePoiId: string;
  ePoiName?: string;
  /**
   * Meituan's 2019 notice says the store-map (UISDK) timestamp is in milliseconds, while some
   * integrations still send seconds (spec §3): the caller chooses; the rule signs either.
   */
  timestamp: number | string;
}

/**
 * The store-map page a merchant opens to bind a store. Signed with the same SHA-1 rule over
 * exactly the parameters in the URL: no `charset`, and no `signKey` (that form was switched off
 * in February 2019).
 */
export function storeMapUrl(base: string, link: StoreMapLink, signKey: string): string {
  const params: Record<string, string> = {
    developerId: link.developerId,
    businessId: link.businessId,
    ePoiId: link.ePoiId,
    ...(link.ePoiName ? { ePoiName: link.ePoiName } : {}),
    timestamp: String(link.timestamp),
  };
  return signedUrl(`${base.replace(/\/+$/, '')}/storemap`, params, signKey);
}

/** The page that unbinds a store (`releasebinding`), signed the same way. */
export function releaseBindingUrl(
  base: string,
  link: { businessId: string; appAuthToken: string; timestamp: number | string },
  signKey: string,
): string {
  const params = { businessId: link.businessId, appAuthToken: link.appAuthToken, timestamp: String(link.timestamp) };
  return signedUrl(`${base.replace(/\/+$/, '')}/releasebinding`, params, signKey);
}

function signedUrl(url: string, params: Record<string, string>, signKey: string): string {
  const query = new URLSearchParams({ ...params, sign: openCaterSign(signKey, params) });
  return `${url}?${query.toString().replace(/\+/g, '%20')}`;
}

// ---------------------------------------------------------------------------------------------
// waimaiopen (waimaiopen.meituan.com/api/v1): MD5 over URL?k=v&… + secret

/**
 * The string the waimaiopen `sig` covers: the request URL without query, `?`, then `k=v` joined
 * by `&` in ASCII key order, then the app secret. Values are raw (no URL-encoding, Chinese as is;
 * JSON params exactly as sent). Left out: `sig`, null values and `img_data` (binary). Empty strings
 * stay in: a real push (the dcxt capture) signs `caution=` and `invoice_title=`.
 */
export function waimaiopenSignBase(url: string, params: SignParams, secret: string): string {
  if (url.includes('?')) throw new Error(`waimaiopen signs the URL without its query: ${url}`);
  const pairs: string[] = [];
  for (const key of javaOrder(Object.keys(params))) {
    const value = text(params[key]);
    if (key === 'sig' || key === 'img_data' || value === undefined) continue;
    pairs.push(`${key}=${value}`);
  }
  return `${url}?${pairs.join('&')}${secret}`;
}

/** The waimaiopen `sig`: lowercase hex MD5 of `waimaiopenSignBase`. */
export function waimaiopenSig(url: string, params: SignParams, secret: string): string {
  return md5(waimaiopenSignBase(url, params, secret));
}

/** Checks a signed waimaiopen call against the URL it was made to. */
export function verifyWaimaiopenSig(url: string, params: SignParams, secret: string): boolean {
  return sameDigest(waimaiopenSig(url, params, secret), params.sig);
}

/**
 * Fields Meituan URL-encodes once more before form-encoding (easy-meituan `ParamsDecoder::$casts`),
 * so the raw body holds `%255B…`. The list has grown over the years (easy-meituan's 2021 commits
 * "Add signature decoding field"), so any value still looking encoded is also tried.
 */
export const WAIMAIOPEN_DOUBLE_ENCODED: ReadonlySet<string> = new Set([
  'caution',
  'detail',
  'extras',
  'wm_poi_name',
  'wm_poi_address',
  'wm_poi_phone',
  'recipient_address',
  'recipient_name',
  'invoice_title',
  'incmp_modules',
  'order_tag_list',
  'backup_recipient_phone',
  'recipient_address_desensitization',
  'poi_receive_detail',
  'poi_receive_detail_yuan',
]);

const LOOKS_ENCODED = /%[0-9A-Fa-f]{2}/;

/**
 * The second decoding is PHP `urldecode`, which the first encoding (Java `URLEncoder`) pairs with:
 * `+` is a space here. (A literal `+` arrived as `%252B`, so it is `%2B` at this point.)
 */
function decodeAgain(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export type PushDecoding = 'double' | 'single';

export type WaimaiopenPushCheck =
  | { ok: true; fields: Record<string, string>; decoding: PushDecoding }
  | { ok: false; fields: Record<string, string> };

/**
 * Verifies a waimaiopen push (a form body, or the query string of a GET push) against our callback
 * URL exactly as configured in the console (scheme, host, path; no query). The signature covers
 * fully decoded values, so the second decoding is tried first (listed fields and anything still
 * encoded, then listed fields only), then the body decoded once. Answers the fields as decoded
 * for the matching signature; `fields` of a failed check are the once-decoded values.
 */
export function verifyWaimaiopenPush(callbackUrl: string, rawBody: string, secret: string): WaimaiopenPushCheck {
  // URLSearchParams decodes a form body: `+` is a space; a repeated key keeps its last value.
  const once = Object.fromEntries(new URLSearchParams(rawBody));
  const everything = mapValues(once, (k, v) =>
    WAIMAIOPEN_DOUBLE_ENCODED.has(k) || LOOKS_ENCODED.test(v) ? decodeAgain(v) : v,
  );
  const listed = mapValues(once, (k, v) => (WAIMAIOPEN_DOUBLE_ENCODED.has(k) ? decodeAgain(v) : v));
  const tried: Record<string, string>[] = [];
  for (const fields of [everything, listed, once]) {
    if (tried.some((t) => sameFields(t, fields))) continue;
    tried.push(fields);
    const decoding = sameFields(fields, once) ? 'single' : 'double';
    if (verifyWaimaiopenSig(callbackUrl, fields, secret)) return { ok: true, fields, decoding };
  }
  return { ok: false, fields: once };
}

function mapValues(fields: Record<string, string>, f: (key: string, value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, f(k, v)]));
}

const sameFields = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).every((k) => a[k] === b[k]);
