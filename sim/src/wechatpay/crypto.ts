import { createCipheriv, createSign, createVerify, randomBytes } from 'node:crypto';

/**
 * WeChat Pay APIv3 cryptography from WeChat Pay's side, written from spec wechat.md §6.2–6.6 (not
 * shared with the BFF, which does the merchant's side): checking a merchant's `Authorization`,
 * signing responses and notifications, encrypting a notification `resource`, checking `paySign`.
 * Keys are PEM text.
 */

const SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** RSASSA-PKCS1-v1_5 / SHA-256 over the UTF-8 text, base64. */
function rsaSign(text: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKeyPem, 'base64');
}

function rsaVerifies(text: string, signatureBase64: string, publicKeyPem: string): boolean {
  // Probe signatures never verify (§6.3), whatever they decode to.
  if (!signatureBase64 || signatureBase64.startsWith('WECHATPAY/SIGNTEST/')) return false;
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKeyPem, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

/** 32 characters of `[0-9A-F]` (nonces may be up to 32 characters). */
const nonce32 = () => randomBytes(16).toString('hex').toUpperCase();

export interface MerchantAuthorization {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

/**
 * Checks `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",
 * serial_no="…",signature="…"` against `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` (§6.2) with
 * the merchant's public key. `url` is the path and query as received. Answers the header's fields
 * when the signature holds, else null; the caller checks mchid, serial and clock.
 */
export function verifyRequestAuthorization(
  header: string | undefined,
  request: { method: string; url: string; body: string },
  merchantPublicKeyPem: string,
): MerchantAuthorization | null {
  if (!header?.startsWith(`${SCHEMA} `)) return null;
  const found = new Map<string, string>();
  for (const [, name, value] of header.slice(SCHEMA.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) {
    found.set(name as string, value as string);
  }
  const fields: MerchantAuthorization = {
    mchid: found.get('mchid') ?? '',
    nonce_str: found.get('nonce_str') ?? '',
    timestamp: found.get('timestamp') ?? '',
    serial_no: found.get('serial_no') ?? '',
    signature: found.get('signature') ?? '',
  };
  if (Object.values(fields).some((v) => v === '')) return null;
  const message = [
    request.method.toUpperCase(),
    request.url,
    fields.timestamp,
    fields.nonce_str,
    request.body,
    '',
  ].join('\n');
  return rsaVerifies(message, fields.signature, merchantPublicKeyPem) ? fields : null;
}

/**
 * The headers WeChat Pay puts on a response or notification (§6.3): RSA-SHA256 over
 * `TIMESTAMP\nNONCE\nBODY\n` with the platform key, and the serial (or `PUB_KEY_ID_…`) it is under.
 */
export function signWechatpayResponse(input: {
  body: string;
  privateKey: string;
  serial: string;
  timestamp: number | string;
  nonce?: string;
}): Record<string, string> {
  const timestamp = String(input.timestamp);
  const nonce = input.nonce ?? nonce32();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(`${timestamp}\n${nonce}\n${input.body}\n`, input.privateKey),
    'Wechatpay-Serial': input.serial,
    'Wechatpay-Signature-Type': SCHEMA,
  };
}

export interface NotificationResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  nonce: string;
  associated_data: string;
  original_type?: string;
}

/**
 * A notification `resource` (§6.6): AES-256-GCM keyed by the 32-byte APIv3 key (UTF-8), the
 * 12-character nonce and the associated data as UTF-8, ciphertext = base64(encrypted ‖ 16-byte tag).
 */
export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  options: { nonce?: string; associatedData?: string; originalType?: string } = {},
): NotificationResource {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error(`the APIv3 key is ${key.length} bytes, not 32`);
  const nonce = options.nonce ?? nonce32().slice(0, 12);
  const associatedData = options.associatedData ?? '';
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: sealed.toString('base64'),
    nonce,
    associated_data: associatedData,
    ...(options.originalType === undefined ? {} : { original_type: options.originalType }),
  };
}

/** The `wx.requestPayment` parameters (§6.5). */
export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** Checks `paySign` = RSA-SHA256 over `appId\ntimeStamp\nnonceStr\npackage\n` with the merchant's public key. */
export function verifyPaySign(appId: string, params: RequestPaymentParams, merchantPublicKeyPem: string): boolean {
  const message = `${appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  return rsaVerifies(message, params.paySign, merchantPublicKeyPem);
}
