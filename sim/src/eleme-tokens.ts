import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

/**
 * Ele.me OAuth tokens the simulator has issued. Lifetimes come from the settings, so tests can make
 * them short enough to watch a refresh. A refresh token works once: it is replaced with the new
 * pair (as the access token it belonged to is).
 */
export class ElemeTokens {
  private readonly access = new Map<string, number>();
  private readonly refresh = new Map<string, number>();
  /** How many tokens each grant has issued, for tests. */
  readonly issued = { client_credentials: 0, refresh_token: 0 };

  constructor(
    private readonly now: () => number,
    private readonly lifetimes: () => { accessSeconds: number; refreshSeconds: number },
  ) {}

  issue(grant: 'client_credentials' | 'refresh_token'): IssuedToken {
    const { accessSeconds, refreshSeconds } = this.lifetimes();
    const token: IssuedToken = {
      access_token: randomBytes(16).toString('hex'),
      token_type: 'Bearer',
      expires_in: accessSeconds,
      refresh_token: randomBytes(16).toString('hex'),
    };
    this.access.set(token.access_token, this.now() + accessSeconds * 1000);
    this.refresh.set(token.refresh_token, this.now() + refreshSeconds * 1000);
    this.issued[grant]++;
    return token;
  }

  isValidAccessToken(token: string): boolean {
    const expiresAt = this.access.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  /** Uses up a refresh token; false if unknown, used or expired. */
  redeemRefreshToken(token: string): boolean {
    const expiresAt = this.refresh.get(token);
    this.refresh.delete(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  /** Ends an access token early (as revoking the app's authorisation does). */
  revoke(token: string): void {
    this.access.delete(token);
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
    this.issued.client_credentials = 0;
    this.issued.refresh_token = 0;
  }
}
