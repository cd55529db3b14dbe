import { createHash, timingSafeEqual } from 'node:crypto';
import { stringifyJsonExact } from '../json';

/**
 * Ele.me's signing rules as the simulated NOP gateway applies them, written from the spec
 * (delivery-platforms.md §2.1–2.2 and pitfalls 2–4), not shared with the BFF.
 */

const md5Upper = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

export interface ElemeCall {
  action: string;
  token: string;
  metas: Readonly<Record<string, unknown>>;
  params: Readonly<Record<string, unknown>>;
}

/**
 * `UPPER(md5(action + token + Σ k=json(M[k]) + secret))` with M = metas ∪ params (params win, as
 * PHP `array_merge`), sorted by key (not by whole `k=v` strings), each value as compact JSON.
 */
export function elemeRequestSignature(call: ElemeCall, secret: string): string {
  const merged: Record<string, unknown> = { ...call.metas, ...call.params };
  const pairs = Object.keys(merged)
    .filter((key) => merged[key] !== undefined)
    .sort()
    .map((key) => `${key}=${stringifyJsonExact(merged[key])}`);
  return md5Upper(call.action + call.token + pairs.join('') + secret);
}

export function verifyElemeRequest(call: ElemeCall & { signature: unknown }, secret: string): boolean {
  const want = Buffer.from(elemeRequestSignature(call, secret), 'latin1');
  const got = Buffer.from(typeof call.signature === 'string' ? call.signature.toUpperCase() : '', 'latin1');
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The fields a push signature covers, already in ASCII order. */
const PUSH_FIELDS = ['appId', 'message', 'requestId', 'shopId', 'timestamp', 'type', 'userId'] as const;

/**
 * `UPPER(md5(Σ k=text(F[k]) + secret))` over the seven push fields (the Java/PHP rule; not the
 * Python verifier, which also hashes `signature`, nor the Go demo, which drops the secret).
 * `message` is the JSON string itself; numbers keep their digits (give big ones as strings or
 * `RawJsonNumber`).
 */
export function elemePushSignature(push: Readonly<Record<string, unknown>>, secret: string): string {
  let signed = '';
  for (const key of PUSH_FIELDS) {
    const value = push[key];
    if (value === undefined) continue;
    signed += `${key}=${value === null ? '' : typeof value === 'object' ? stringifyJsonExact(value) : String(value)}`;
  }
  return md5Upper(signed + secret);
}
