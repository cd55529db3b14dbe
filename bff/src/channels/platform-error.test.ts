import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbandonDelivery, DeferDelivery } from '../sync/worker';
import { httpFailure, PlatformError, platformFetch, retryAfterMs, toDeliveryFailure } from './platform-error';

const refusal = (init: Partial<ConstructorParameters<typeof PlatformError>[0]>) =>
  new PlatformError({ platform: 'eleme', code: 'X', message: 'm', retryable: false, ...init });

describe('toDeliveryFailure', () => {
  it('defers a rate limit for as long as the platform asked, else the default', () => {
    const asked = toDeliveryFailure(refusal({ rateLimited: true, retryAfterMs: 7_000 }));
    expect(asked).toBeInstanceOf(DeferDelivery);
    expect((asked as DeferDelivery).delayMs).toBe(7_000);
    expect(
      (toDeliveryFailure(refusal({ rateLimited: true }), { rateLimitDelayMs: 500 }) as DeferDelivery).delayMs,
    ).toBe(500);
  });

  it('abandons a refusal of the request itself, keeping the platform error as the cause', () => {
    const err = refusal({ code: 'VALIDATION_FAILED' });
    const outcome = toDeliveryFailure(err);
    expect(outcome).toBeInstanceOf(AbandonDelivery);
    expect((outcome as Error).cause).toBe(err);
  });

  it('leaves retryable failures, and errors that are not PlatformErrors, to the plain retry', () => {
    const timeout = refusal({ code: 'TIMEOUT', retryable: true });
    expect(toDeliveryFailure(timeout)).toBe(timeout);
    const bug = new TypeError('x is undefined');
    expect(toDeliveryFailure(bug)).toBe(bug);
  });

  it('counts a rate limit as retryable even when the transport did not say so', () => {
    expect(refusal({ rateLimited: true, retryable: false }).retryable).toBe(true);
  });
});

describe('platformFetch', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.writeHead(503, { 'retry-after': '3' }).end('<html>busy</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('turns no answer within the timeout into a retryable TIMEOUT', async () => {
    const err = await platformFetch('meituan', `${url}/slow`, {}, 100).catch((e) => e);
    expect(err).toMatchObject({ platform: 'meituan', code: 'TIMEOUT', retryable: true, rateLimited: false });
  });

  it('turns a refused connection into a retryable NETWORK error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await platformFetch('eleme', `http://127.0.0.1:${port}/`, {}, 1_000).catch((e) => e);
    expect(err).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('hands an HTTP answer back; a 5xx page becomes a retryable error honouring Retry-After', async () => {
    const res = await platformFetch('eleme', `${url}/any`, {}, 1_000);
    expect(res.status).toBe(503);
    expect(httpFailure('eleme', res, 0)).toMatchObject({
      code: 'HTTP_503',
      httpStatus: 503,
      retryable: true,
      retryAfterMs: 3_000,
    });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('5', 0)).toBe(5_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});
