import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';

/**
 * WeChat Pay APIv3 cryptography (spec wechat.md §6.2–6.6), for the BFF as merchant and for the
 * simulator as WeChat Pay: request signing and its check, response/notification signing and
 * verification, AES-256-GCM `resource` encryption, and `paySign` for `wx.requestPayment`.
 * Everything is node:crypto; keys are PEM text or KeyObjects.
 */

export type PrivateKeyInput = string | KeyObject;
export type PublicKeyInput = string | KeyObject;

export const WECHATPAY_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** Responses and notifications older or newer than this are refused (replay protection). */
export const WECHATPAY_TIMESTAMP_TOLERANCE_SECONDS = 300;
/** WeChat Pay sends signatures with this prefix as deliberate probes; they must never verify. */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

const privateKey = (key: PrivateKeyInput) => (typeof key === 'string' ? createPrivateKey(key) : key);
const publicKey = (key: PublicKeyInput) => (typeof key === 'string' ? createPublicKey(key) : key);

/** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 message, base64. */
export function signSha256Rsa(message: string, key: PrivateKeyInput): string {
  return sign('sha256', Buffer.from(message, 'utf8'), privateKey(key)).toString('base64');
}

export function verifySha256Rsa(message: string, signature: string, key: PublicKeyInput): boolean {
  if (!signature || signature.startsWith(SIGNTEST_PREFIX)) return false;
  try {
    return verify('sha256', Buffer.from(message, 'utf8'), publicKey(key), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A nonce of `[0-9A-Z]`, 32 characters by default (WeChat allows up to 32). */
export function newNonce(length = 32): string {
  return randomBytes(length).toString('hex').slice(0, length).toUpperCase();
}

/** The request target WeChat Pay signs: path and query exactly as sent, without scheme and host. */
export function canonicalUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) return url;
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

export interface RequestToSign {
  method: string;
  /** A full URL or `PATH[?QUERY]`. */
  url: string;
  /** Seconds. Milliseconds are a classic SIGN_ERROR (spec pitfall 5). */
  timestamp: number | string;
  nonce: string;
  /** The exact body bytes sent; `''` for GET. */
  body: string;
}

/** `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` — every line ends with `\n`, the last too. */
export function requestSignMessage(req: RequestToSign): string {
  return `${req.method.toUpperCase()}\n${canonicalUrl(req.url)}\n${req.timestamp}\n${req.nonce}\n${req.body}\n`;
}

export interface MerchantCredentials {
  mchId: string;
  /** The merchant API certificate serial (never the platform serial). */
  serialNo: string;
  privateKey: PrivateKeyInput;
}

/** `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`. */
export function authorizationHeader(merchant: MerchantCredentials, req: RequestToSign): string {
  const signature = signSha256Rsa(requestSignMessage(req), merchant.privateKey);
  return (
    `${WECHATPAY_SCHEMA} mchid="${merchant.mchId}",nonce_str="${req.nonce}",timestamp="${req.timestamp}",` +
    `serial_no="${merchant.serialNo}",signature="${signature}"`
  );
}

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

/** Reads an `Authorization` header back into its fields (the simulator's side); null if malformed. */
export function parseAuthorization(header: string | undefined): AuthorizationFields | null {
  if (!header?.startsWith(`${WECHATPAY_SCHEMA} `)) return null;
  const fields: Record<string, string> = {};
  for (const match of header.slice(WECHATPAY_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    fields[match[1] as string] = match[2] as string;
  }
  const { mchid, nonce_str, timestamp, serial_no, signature } = fields;
  if (!mchid || !nonce_str || !timestamp || !serial_no || !signature) return null;
  return { mchid, nonce_str, timestamp, serial_no, signature };
}

/** Checks a merchant's signed request with the merchant's public key (what WeChat Pay does). */
export function verifyRequestAuthorization(
  header: string | undefined,
  req: Omit<RequestToSign, 'timestamp' | 'nonce'>,
  merchantPublicKey: PublicKeyInput,
): AuthorizationFields | null {
  const fields = parseAuthorization(header);
  if (!fields) return null;
  const message = requestSignMessage({ ...req, timestamp: fields.timestamp, nonce: fields.nonce_str });
  return verifySha256Rsa(message, fields.signature, merchantPublicKey) ? fields : null;
}

export interface WechatpaySignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  /** The platform certificate serial or `PUB_KEY_ID_…` the response was signed under. */
  serial: string;
}

/** Reads `Wechatpay-Timestamp/-Nonce/-Signature/-Serial`; null when one is missing. */
export function readSignatureHeaders(
  get: (name: string) => string | null | undefined,
): WechatpaySignatureHeaders | null {
  const timestamp = get('wechatpay-timestamp');
  const nonce = get('wechatpay-nonce');
  const signature = get('wechatpay-signature');
  const serial = get('wechatpay-serial');
  return timestamp && nonce && signature && serial ? { timestamp, nonce, signature, serial } : null;
}

/** `TIMESTAMP\nNONCE\nBODY\n` over the raw body bytes: never re-serialised JSON. */
export function responseSignMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export type SignatureCheck =
  | { ok: true; serial: string }
  | { ok: false; reason: 'missing-headers' | 'probe' | 'unknown-serial' | 'stale-timestamp' | 'bad-signature' };

/**
 * Verifies a response or notification. The key is chosen by `Wechatpay-Serial` among the known
 * ones (during a certificate → public-key switch both arrive for about a week), so unknown serials
 * are refused; so are timestamps outside ±300 s and `WECHATPAY/SIGNTEST/` probes.
 */
export function verifyWechatpaySignature(input: {
  headers: WechatpaySignatureHeaders | null;
  body: string;
  /** Known WeChat Pay verification keys by serial / public key id. */
  keys: Readonly<Record<string, PublicKeyInput>>;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { headers } = input;
  if (!headers) return { ok: false, reason: 'missing-headers' };
  if (headers.signature.startsWith(SIGNTEST_PREFIX)) return { ok: false, reason: 'probe' };
  const key = Object.hasOwn(input.keys, headers.serial) ? input.keys[headers.serial] : undefined;
  if (!key) return { ok: false, reason: 'unknown-serial' };
  const ts = Number(headers.timestamp);
  const tolerance = input.toleranceSeconds ?? WECHATPAY_TIMESTAMP_TOLERANCE_SECONDS;
  if (!/^\d+$/.test(headers.timestamp) || Math.abs(input.nowSeconds - ts) > tolerance) {
    return { ok: false, reason: 'stale-timestamp' };
  }
  const message = responseSignMessage(headers.timestamp, headers.nonce, input.body);
  return verifySha256Rsa(message, headers.signature, key)
    ? { ok: true, serial: headers.serial }
    : { ok: false, reason: 'bad-signature' };
}

/** Signs a response or notification body as WeChat Pay does (the simulator's side); answers the headers. */
export function signWechatpayResponse(input: {
  body: string;
  privateKey: PrivateKeyInput;
  serial: string;
  timestamp: number | string;
  nonce?: string;
}): Record<string, string> {
  const nonce = input.nonce ?? newNonce();
  const timestamp = String(input.timestamp);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256Rsa(responseSignMessage(timestamp, nonce, input.body), input.privateKey),
    'Wechatpay-Serial': input.serial,
    'Wechatpay-Signature-Type': WECHATPAY_SCHEMA,
  };
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

function apiV3KeyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/**
 * Decrypts a notification `resource` (or an encrypted platform certificate): AES-256-GCM with the
 * APIv3 key as UTF-8, the nonce and associated data as UTF-8, and the GCM tag as the last 16 bytes
 * of the base64 ciphertext. Throws when the tag does not authenticate.
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new Error(`unsupported algorithm ${resource.algorithm}`);
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < 16 || !resource.nonce) throw new Error('malformed resource');
  const decipher = createDecipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/** The inverse of `decryptResource`, for the simulator's notifications. */
export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  options: { nonce?: string; associatedData?: string; originalType?: string } = {},
): EncryptedResource {
  const nonce = options.nonce ?? newNonce(12);
  const associatedData = options.associatedData ?? '';
  const cipher = createCipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: data.toString('base64'),
    nonce,
    associated_data: associatedData,
    ...(options.originalType ? { original_type: options.originalType } : {}),
  };
}

export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** `appId\ntimeStamp\nnonceStr\npackage\n`; line 4 is the whole `prepay_id=…` value. */
export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

/**
 * The parameters the mini-program passes to `wx.requestPayment`. `appId` (the prepay appid) is
 * signed but not passed. A success on the client is no proof of payment: wait for the notification.
 */
export function requestPaymentParams(input: {
  appId: string;
  prepayId: string;
  privateKey: PrivateKeyInput;
  timeStamp: number | string;
  nonceStr?: string;
}): RequestPaymentParams {
  const timeStamp = String(input.timeStamp);
  const nonceStr = input.nonceStr ?? newNonce();
  const pkg = `prepay_id=${input.prepayId}`;
  const paySign = signSha256Rsa(paySignMessage(input.appId, timeStamp, nonceStr, pkg), input.privateKey);
  return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

/** Checks a `paySign` with the merchant's public key (the simulator's cashier does this). */
export function verifyPaySign(appId: string, params: RequestPaymentParams, merchantPublicKey: PublicKeyInput): boolean {
  const message = paySignMessage(appId, params.timeStamp, params.nonceStr, params.package);
  return verifySha256Rsa(message, params.paySign, merchantPublicKey);
}
