import type { Context } from 'koa';
import { AppError } from '../lib/errors';

export type BodyKind = 'json' | 'form';

const MEDIA: Record<BodyKind, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(ctx: Context): string {
  return (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Reads the raw request body, refusing more than `limit` bytes before buffering them all.
 * Webhooks verify signatures over these exact bytes, so every parser starts from here.
 */
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  const cached = ctx.state.rawBody as Buffer | undefined;
  if (cached) return cached;
  const declared = Number(ctx.get('content-length') || Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      // Stop reading; the connection is closed after the 413 so the rest is never buffered.
      ctx.req.unpipe();
      ctx.set('Connection', 'close');
      throw tooLarge(limit);
    }
    chunks.push(buf);
  }
  const body = Buffer.concat(chunks);
  ctx.state.rawBody = body;
  return body;
}

function tooLarge(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', 413, `request body is larger than ${limit} bytes`);
}

/** Requires the declared content type, then parses the body. An empty body is `undefined`. */
export async function parseBody(ctx: Context, kind: BodyKind, limit: number): Promise<unknown> {
  const declared = mediaType(ctx);
  const raw = await readRawBody(ctx, limit);
  if (raw.length === 0 && declared === '') return undefined;
  if (declared !== MEDIA[kind]) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      415,
      `expected Content-Type ${MEDIA[kind]}, got ${declared || 'none'}`,
    );
  }
  const text = raw.toString('utf8');
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('INVALID_JSON', 400, `request body is not valid JSON: ${(err as Error).message}`);
  }
}
