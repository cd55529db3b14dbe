import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SIMULATOR_DEFAULTS } from 'shared-types';
import { registerRoute } from '../registry';
import type { SimState } from '../state';

export interface SimWechatUser {
  openid: string;
  unionid: string | null;
}

interface IssuedCode {
  user: SimWechatUser;
  issuedAt: number;
  used: boolean;
}

/** A `wx.login()` code lives about five minutes and is good for one exchange (spec wechat.md §1). */
const CODE_TTL_MS = 5 * 60_000;

/**
 * WeChat's `GET /sns/jscode2session`: checks appid and secret, exchanges each login code once for
 * the user's openid (and unionid), and a fresh session_key per exchange — as a new wx.login may
 * replace it. Codes are issued by tests (or `/_sim/wechat/login`) for a user of their choice.
 */
export class WechatLoginSim {
  private readonly codes = new Map<string, IssuedCode>();
  /** Every exchange answered, for tests: the session keys handed out. */
  readonly exchanges: { openid: string; sessionKey: string }[] = [];

  constructor(
    private readonly appId: string = SIMULATOR_DEFAULTS.wechat.appId,
    private readonly secret: string = SIMULATOR_DEFAULTS.wechat.secret,
    private readonly now: () => number = Date.now,
  ) {}

  /** What `wx.login()` would give this user on a phone. */
  issueCode(user: Partial<SimWechatUser> = {}): string {
    const code = `sim${randomBytes(12).toString('hex')}`;
    const openid = user.openid ?? `o${createHash('sha1').update(code).digest('base64url').slice(0, 27)}`;
    this.codes.set(code, { user: { openid, unionid: user.unionid ?? null }, issuedAt: this.now(), used: false });
    return code;
  }

  jscode2session(query: URLSearchParams): { status: number; body: Record<string, unknown> } {
    const missing = ['appid', 'secret', 'js_code', 'grant_type'].find((k) => !query.get(k));
    if (missing) return { status: 200, body: { errcode: 41002, errmsg: `${missing} missing` } };
    if (query.get('appid') !== this.appId) return { status: 200, body: { errcode: 40013, errmsg: 'invalid appid' } };
    if (query.get('secret') !== this.secret)
      return { status: 200, body: { errcode: 40125, errmsg: 'invalid appsecret' } };
    if (query.get('grant_type') !== 'authorization_code') {
      return { status: 200, body: { errcode: 40002, errmsg: 'invalid grant_type' } };
    }
    const issued = this.codes.get(query.get('js_code') as string);
    if (!issued || issued.used || this.now() - issued.issuedAt > CODE_TTL_MS) {
      return { status: 200, body: { errcode: 40029, errmsg: 'invalid code' } };
    }
    issued.used = true;
    const sessionKey = randomBytes(16).toString('base64');
    this.exchanges.push({ openid: issued.user.openid, sessionKey });
    return {
      status: 200,
      body: {
        openid: issued.user.openid,
        session_key: sessionKey,
        ...(issued.user.unionid ? { unionid: issued.user.unionid } : {}),
      },
    };
  }
}

/** The login simulator of a running simulator (its appid and secret are the published defaults). */
export function wechatLogin(state: SimState): WechatLoginSim {
  return state.ext('wechat.login', () => new WechatLoginSim(undefined, undefined, state.now));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

// WeChat answers jscode2session with HTTP 200 whatever happened; errors are in `errcode`.
registerRoute('GET', '/wechat/sns/jscode2session', (_req, res, { state, url }) => {
  const answer = wechatLogin(state).jscode2session(url.searchParams);
  sendJson(res, answer.status, answer.body);
});

/** For demos and tests in another process: what `wx.login()` would give a user (`{openid?, unionid?}` → `{code}`). */
registerRoute('POST', '/wechat/_sim/login', (_req, res, { state, body }) => {
  let user: Partial<SimWechatUser> = {};
  try {
    user = body ? (JSON.parse(body) as Partial<SimWechatUser>) : {};
  } catch {
    return sendJson(res, 400, { error: 'body must be JSON' });
  }
  sendJson(res, 200, { code: wechatLogin(state).issueCode(user) });
});
