import Taro from '@tarojs/taro';
import { vi } from 'vitest';
import { respond } from './fixtures';

export interface SentRequest {
  method: string;
  path: string;
  url: string;
  data: unknown;
  header: Record<string, string>;
}

type Answer = { status: number; body: unknown } | 'network-error';
type Route = (req: SentRequest) => Answer | undefined;

/**
 * Answers Taro.request like a tiny BFF: each route sees the request and answers, or passes with
 * undefined. Unrouted calls answer 404, so a test never hangs on a call it did not expect.
 */
export function fakeBff(...routes: Route[]): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.mocked(Taro.request).mockImplementation(((options: {
    url: string;
    method?: string;
    data?: unknown;
    header?: Record<string, string>;
  }) => {
    const req: SentRequest = {
      method: options.method ?? 'GET',
      url: options.url,
      path: options.url.split('?')[0] ?? '',
      data: options.data,
      header: options.header ?? {},
    };
    sent.push(req);
    for (const route of routes) {
      const answer = route(req);
      if (answer === 'network-error') return Promise.reject({ errMsg: 'request:fail timeout' });
      if (answer) return Promise.resolve(respond(answer.status, answer.body));
    }
    return Promise.resolve(respond(404, { error: { code: 'NOT_FOUND', message: 'no route', requestId: 't' } }));
  }) as never);
  return sent;
}

/** A route for one method and path (a string, or a pattern for ids). */
export function on(method: string, path: string | RegExp, answer: (req: SentRequest) => Answer): Route {
  return (req) =>
    req.method === method && (typeof path === 'string' ? req.path === path : path.test(req.path))
      ? answer(req)
      : undefined;
}

export const ok = (body: unknown, status = 200): Answer => ({ status, body });
export const fail = (status: number, code: string, message = 'refused'): Answer => ({
  status,
  body: { error: { code, message, requestId: 'req-test' } },
});
