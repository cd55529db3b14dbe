import type { Cache } from '../../cache';
import type { Clock } from '../../lib/clock';
import { badResponse, notConfigured, PlatformError, platformFetch } from '../platform-error';
import { type ElemeSettings, isInvalidToken } from './transport';

/** An access token as kept in the shared cache. Times are epoch ms from the injected clock. */
export interface ElemeToken {
  accessToken: string;
  refreshToken?: string;
  obtainedAt: number;
  expiresAt: number;
}

export interface ElemeOAuthOptions {
  /** How long a process waits for another one that is fetching the token; default 30 s. */
  waitMs?: number;
  /** How often it looks while waiting; default 50 ms. */
  pollMs?: number;
}

/** How long to keep a refresh token after its access token expired (its own lifetime is not documented). */
const REFRESH_KEEP_MS = 7 * 86_400_000;
const LOCK_TTL_MS = 30_000;
/** OAuth errors that refuse the request itself; anything else (invalid_client, server_error) may clear. */
const FINAL_OAUTH_ERRORS = new Set(['invalid_grant', 'invalid_request', 'invalid_scope', 'unsupported_grant_type']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The self-use app's Ele.me access token (OAuth2 `client_credentials`, renewed with `refresh_token`),
 * spec delivery-platforms.md §2.1 and the PHP SDK `OAuthClient`. The token lives in the shared cache,
 * so every BFF process uses the same one, and only one process fetches at a time (a cache lock): the
 * others wait for its result instead of minting tokens that could replace each other's.
 */
export class ElemeOAuth {
  private readonly tokenUrl: string;
  private readonly key: string;
  private readonly waitMs: number;
  private readonly pollMs: number;
  /** The token as this process last read or stored it. */
  private lastSeen: ElemeToken | null = null;

  constructor(
    private readonly settings: ElemeSettings,
    private readonly cache: Cache,
    private readonly clock: Clock,
    options: ElemeOAuthOptions = {},
  ) {
    this.tokenUrl = `${settings.apiBase.replace(/\/+$/, '')}/token`;
    this.key = `eleme:oauth:${settings.appKey ?? ''}`;
    this.waitMs = options.waitMs ?? LOCK_TTL_MS;
    this.pollMs = options.pollMs ?? 50;
  }

  /**
   * Runs `call` with the current token. If Ele.me answers UNAUTHORIZED (the token was revoked or
   * expired early), drops that token, fetches a new one and runs `call` once more.
   */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (err) {
      if (!isInvalidToken(err)) throw err;
      await this.invalidate(token);
      return call(await this.accessToken());
    }
  }

  /** A token valid for a while yet: the cached one, or a new one fetched by exactly one process. */
  async accessToken(): Promise<string> {
    const cached = await this.read();
    if (cached && this.fresh(cached)) return cached.accessToken;
    const polls = Math.ceil(this.waitMs / this.pollMs);
    for (let i = 0; i <= polls; i++) {
      const lock = await this.cache.acquireLock(`${this.key}:lock`, LOCK_TTL_MS);
      if (lock) {
        try {
          const current = await this.read();
          if (current && this.fresh(current)) return current.accessToken;
          const token = await this.renew(current);
          await this.store(token);
          return token.accessToken;
        } finally {
          await lock.release();
        }
      }
      await sleep(this.pollMs);
      const current = await this.read();
      if (current && this.fresh(current)) return current.accessToken;
    }
    throw new PlatformError({
      platform: 'eleme',
      code: 'TOKEN_BUSY',
      message: 'another process is still fetching the access token',
      retryable: true,
    });
  }

  /** Marks `token` unusable if it is still the cached one (another process may have replaced it already). */
  async invalidate(token: string): Promise<void> {
    const cached = await this.read();
    if (cached?.accessToken !== token) return;
    // Keep the refresh token: it usually still works when the access token was refused.
    await this.store({ ...cached, expiresAt: 0 });
  }

  /** `grant_type=client_credentials`: a new token for the app itself. */
  clientCredentials(): Promise<ElemeToken> {
    return this.request({ grant_type: 'client_credentials' });
  }

  /** `grant_type=refresh_token`: renews without the app credentials being re-checked as a new grant. */
  refresh(refreshToken: string): Promise<ElemeToken> {
    return this.request({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'all' });
  }

  private async renew(current: ElemeToken | null): Promise<ElemeToken> {
    if (current?.refreshToken) {
      try {
        return await this.refresh(current.refreshToken);
      } catch {
        // An expired or already used refresh token: start over with the app's own grant.
      }
    }
    return this.clientCredentials();
  }

  /** Renews before expiry: 10% of the lifetime ahead, at most five minutes. */
  private fresh(token: ElemeToken): boolean {
    const margin = Math.min(300_000, (token.expiresAt - token.obtainedAt) / 10);
    return this.clock.now() < token.expiresAt - margin;
  }

  private async read(): Promise<ElemeToken | null> {
    const raw = await this.cache.get(this.key);
    // Redis down: this process's last copy keeps Ele.me calls going until it expires (no new
    // token is fetched without the lock, so processes never race to renew).
    if (!raw) return this.cache.available() ? null : this.lastSeen;
    try {
      this.lastSeen = JSON.parse(raw) as ElemeToken;
      return this.lastSeen;
    } catch {
      return null;
    }
  }

  private async store(token: ElemeToken): Promise<void> {
    this.lastSeen = token;
    const left = Math.max(0, token.expiresAt - this.clock.now());
    const ttl = left + (token.refreshToken ? REFRESH_KEEP_MS : 0);
    if (ttl > 0) await this.cache.set(this.key, JSON.stringify(token), ttl);
    else await this.cache.del(this.key);
  }

  private async request(form: Record<string, string>): Promise<ElemeToken> {
    const { appKey, appSecret } = this.settings;
    if (!appKey || !appSecret) throw notConfigured('eleme', 'ELEME_APP_KEY / ELEME_APP_SECRET');
    // Basic base64(urlencode(key):urlencode(secret)), as the PHP SDK sends it.
    const basic = Buffer.from(`${encodeURIComponent(appKey)}:${encodeURIComponent(appSecret)}`).toString('base64');
    const res = await platformFetch(
      'eleme',
      this.tokenUrl,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          accept: 'application/json',
        },
        body: new URLSearchParams(form).toString(),
      },
      this.settings.timeoutMs ?? 10_000,
    );
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      throw badResponse('eleme', res, 'token endpoint answered no JSON');
    }
    if (typeof body.error === 'string' || res.status !== 200) {
      const code = typeof body.error === 'string' ? body.error : `HTTP_${res.status}`;
      throw new PlatformError({
        platform: 'eleme',
        code,
        message: typeof body.error_description === 'string' ? body.error_description : code,
        httpStatus: res.status,
        retryable: !FINAL_OAUTH_ERRORS.has(code),
      });
    }
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw badResponse('eleme', res, 'token answer without access_token / expires_in');
    }
    const now = this.clock.now();
    return {
      accessToken: body.access_token,
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
      obtainedAt: now,
      expiresAt: now + body.expires_in * 1000,
    };
  }
}
