import type { ErrorCode } from 'shared-types';

/**
 * The one error type routes and services throw. The error middleware turns it into
 * `{ "error": { "code", "message", "requestId", "details"? } }` with `status`. Anything that is not
 * an AppError becomes a bare 500 with no internals in the body.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode | (string & {}),
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After or Allow. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new AppError('BAD_REQUEST', 400, message, details),
  validation: (message: string, details?: unknown) => new AppError('VALIDATION_FAILED', 400, message, details),
  unauthenticated: (message = 'sign in first') => new AppError('UNAUTHENTICATED', 401, message),
  forbidden: (message = 'your role may not do this') => new AppError('FORBIDDEN', 403, message),
  outOfScope: (message = 'this store is outside your scope') => new AppError('OUT_OF_SCOPE', 403, message),
  notFound: (what: string) => new AppError('NOT_FOUND', 404, `${what} not found`),
  conflict: (code: string, message: string, details?: unknown) => new AppError(code, 409, message, details),
  unprocessable: (code: string, message: string, details?: unknown) => new AppError(code, 422, message, details),
  rateLimited: (retryAfterMs: number) =>
    new AppError('RATE_LIMITED', 429, 'too many requests; try again later', undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    }),
};
