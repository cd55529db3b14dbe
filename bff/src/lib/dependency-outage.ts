/** The shared cache cannot answer this now (Redis unreachable or stalled); the caller decides what is safe. */
export class CacheUnavailableError extends Error {
  constructor(message = 'the shared cache (Redis) is unavailable') {
    super(message);
    this.name = 'CacheUnavailableError';
  }
}

export type Dependency = 'database' | 'cache';

/** Socket-level failures: the server is not there, or went away mid-query. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** mysql2 / MySQL / MariaDB: the connection or the server, not the query. */
const MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_LOCK_WAIT_TIMEOUT',
]);
/** 1040 too many connections, 1053 shutdown, 1205 lock wait timeout, 1927 connection killed, 2002/2003/2006/2013 client lost the server. */
const MYSQL_ERRNOS = new Set([1040, 1053, 1205, 1927, 2002, 2003, 2006, 2013]);

/** SQLite's writer lock still held by another connection after its busy timeout. */
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/;

/**
 * The one place that decides whether an error means "a dependency is unavailable right now" (the
 * request may simply be tried again later: 503 with Retry-After) rather than a bug (500). Answers
 * the dependency, or null. Looks through `cause` chains, since some layers wrap.
 */
export function dependencyOutage(err: unknown): Dependency | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof CacheUnavailableError) return 'cache';
    const { code, errno, fatal, message } = e as {
      code?: unknown;
      errno?: unknown;
      fatal?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string') {
      // A socket code deeper down is an HTTP client's (fetch puts it in `cause`), not the database's.
      if (depth === 0 && NETWORK_CODES.has(code)) return 'database';
      if (MYSQL_CODES.has(code) || SQLITE_BUSY.test(code)) return 'database';
    }
    if (typeof errno === 'number' && MYSQL_ERRNOS.has(errno)) return 'database';
    // mysql2 marks errors that killed the connection as fatal; its pool refuses work once closed.
    if (fatal === true) return 'database';
    if (typeof message === 'string' && /^Pool is closed\.?$/.test(message)) return 'database';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** Seconds a client should wait before trying a request refused for an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;
