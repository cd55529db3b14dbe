import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { stringifyJsonExact } from './json';
import type { SimRegistry } from './registry';
import type { SimState } from './state';

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer: JSON (written with exact big integers) unless `contentType` says otherwise. */
export interface SimAnswer {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface GatewayContext {
  state: SimState;
  registry: SimRegistry;
  /** Waits `ms`; false when the simulator closed meanwhile (the answer is then dropped). */
  hold(ms: number): Promise<boolean>;
}

const BODY_LIMIT = 5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, answer: SimAnswer): void {
  if (res.destroyed || res.writableEnded) return;
  const json = answer.contentType === undefined;
  const text = json ? stringifyJsonExact(answer.body) : String(answer.body);
  res.writeHead(answer.status, {
    'content-type': answer.contentType ?? 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

/** Query and form-body fields together (the body wins), as Meituan's gateways read them. */
export function formFields(req: SimRequest): Record<string, string> {
  const fields = Object.fromEntries(req.url.searchParams);
  const type = String(req.headers['content-type'] ?? '');
  if (req.body && (type.includes('application/x-www-form-urlencoded') || type === '')) {
    Object.assign(fields, Object.fromEntries(new URLSearchParams(req.body)));
  }
  return fields;
}

/** What a `server-error` fault answers: a load balancer's page, not the platform's JSON. */
export const gatewayDown: SimAnswer = {
  status: 502,
  contentType: 'text/html',
  body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
};

export const json = (status: number, body: unknown): SimAnswer => ({ status, body });

/** Whether a request timestamp (seconds, or milliseconds when it has 13 digits) is near `nowMs`. */
export function timestampWithin(value: unknown, nowMs: number, toleranceSeconds: number): boolean {
  const text = String(value ?? '');
  if (!/^\d{9,13}$/.test(text)) return false;
  const ms = text.length >= 13 ? Number(text) : Number(text) * 1000;
  return Math.abs(nowMs - ms) <= toleranceSeconds * 1000;
}
