import { createHash, timingSafeEqual } from 'node:crypto';
import { parseJsonExact, stringifyJsonExact } from '../../lib/json-exact';

/**
 * Ele.me's signing rules (spec delivery-platforms.md §2.1–2.2; official doc dianj.com.cn 21195,
 * PHP `RpcClient::generate_signature`, Java `CallbackValidationUtil`). Used by the BFF's NOP
 * transport and push receiver; the simulator has its own (sim/src/eleme/sign.ts).
 */

const md5Upper = (s: string) => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();

function sameDigest(expected: string, given: unknown): boolean {
  const a = Buffer.from(expected.toUpperCase());
  const b = Buffer.from(typeof given === 'string' ? given.toUpperCase() : '');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ElemeSignedCall {
  action: string;
  /** The access token; `""` for app-level calls (the compensation APIs). */
  token: string;
  metas: Readonly<Record<string, unknown>>;
  params: Readonly<Record<string, unknown>>;
}

/**
 * The string a NOP call's signature covers: `action + token + k1=json(v1)k2=json(v2)… + secret`
 * over metas ∪ params (params win on a clash, as PHP `array_merge`). Keys are sorted by key — not
 * as whole `k=v` strings, which the Python SDK does and which differs for keys like `a` and `a1`.
 * `json()` is compact JSON without unicode or slash escaping: strings quoted (`orderId="1000…"`),
 * numbers bare (`timestamp=1486217703`); nested objects keep the key order they are sent in.
 */
export function elemeRequestSignBase(call: ElemeSignedCall, secret: string): string {
  const merged: Record<string, unknown> = { ...call.metas, ...call.params };
  let pairs = '';
  for (const key of Object.keys(merged).sort()) {
    if (merged[key] === undefined) continue;
    pairs += `${key}=${stringifyJsonExact(merged[key])}`;
  }
  return call.action + call.token + pairs + secret;
}

/** The NOP `signature`: upper-case hex MD5 of `elemeRequestSignBase`. */
export function elemeRequestSignature(call: ElemeSignedCall, secret: string): string {
  return md5Upper(elemeRequestSignBase(call, secret));
}

export function verifyElemeRequest(call: ElemeSignedCall & { signature: unknown }, secret: string): boolean {
  return sameDigest(elemeRequestSignature(call, secret), call.signature);
}

/** The seven push fields the signature covers (Java `CallbackValidationUtil`, PHP demo `util.php`). */
export const ELEME_PUSH_SIGNED_FIELDS = [
  'appId',
  'message',
  'requestId',
  'shopId',
  'timestamp',
  'type',
  'userId',
] as const;

/**
 * The string a push signature covers: `k=text(v)` for the seven fields in key order, then the
 * secret. `message` is the raw JSON string as received, and numbers keep the exact digits they
 * were sent with (userId has 18–19), so the push must have been parsed with `parseJsonExact`.
 * A field that is absent is left out; null counts as empty (PHP string conversion).
 */
export function elemePushSignBase(push: Readonly<Record<string, unknown>>, secret: string): string {
  let base = '';
  for (const key of ELEME_PUSH_SIGNED_FIELDS) {
    if (!(key in push) || push[key] === undefined) continue;
    const value = push[key];
    base += `${key}=${value === null ? '' : typeof value === 'object' ? stringifyJsonExact(value) : String(value)}`;
  }
  return base + secret;
}

export function elemePushSignature(push: Readonly<Record<string, unknown>>, secret: string): string {
  return md5Upper(elemePushSignBase(push, secret));
}

export type ElemePushCheck = { ok: true; push: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Verifies a push from its raw body. The official Python verifier hashes `signature` too and the Go
 * demo leaves out the secret (spec pitfall 4): this follows Java/PHP, which the platform matches.
 */
export function verifyElemePush(rawBody: string, secret: string): ElemePushCheck {
  let push: unknown;
  try {
    push = parseJsonExact(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (typeof push !== 'object' || push === null || Array.isArray(push)) {
    return { ok: false, reason: 'body is not a JSON object' };
  }
  const fields = push as Record<string, unknown>;
  if (typeof fields.message !== 'string') return { ok: false, reason: 'message must be a JSON string' };
  if (!sameDigest(elemePushSignature(fields, secret), fields.signature)) return { ok: false, reason: 'bad signature' };
  return { ok: true, push: fields };
}
