import { z } from 'zod';
import { AppError } from '../../lib/errors';
import type { WechatSession, WechatSignIn } from '../../modules/members/service';

const Reply = z.object({
  openid: z.string().min(1).optional(),
  session_key: z.string().min(1).optional(),
  unionid: z.string().min(1).optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});

/**
 * `GET /sns/jscode2session` (spec wechat.md §1). A missing or zero `errcode` is success (older
 * replies sent `errcode: 0`). The URL carries the app secret, so it is never logged.
 */
export class Code2Session implements WechatSignIn {
  constructor(
    private readonly apiBase: string,
    private readonly appId: string | undefined,
    private readonly secret: string | undefined,
    private readonly timeoutMs = 5000,
  ) {}

  async exchange(code: string): Promise<WechatSession> {
    if (!this.appId || !this.secret) {
      throw new AppError('WECHAT_LOGIN_FAILED', 503, 'WeChat sign-in is not configured (WECHAT_APPID, WECHAT_SECRET)');
    }
    const query = new URLSearchParams({
      appid: this.appId,
      secret: this.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    let body: unknown;
    try {
      const res = await fetch(`${this.apiBase}/sns/jscode2session?${query}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await res.json();
    } catch {
      throw new AppError('WECHAT_LOGIN_FAILED', 502, 'WeChat did not answer the sign-in; try again');
    }
    const reply = Reply.safeParse(body);
    if (!reply.success) throw new AppError('WECHAT_LOGIN_FAILED', 502, 'WeChat answered the sign-in unexpectedly');
    const r = reply.data;
    if (r.errcode !== undefined && r.errcode !== 0) throw loginError(r.errcode);
    if (!r.openid || !r.session_key) throw new AppError('WECHAT_LOGIN_FAILED', 502, 'WeChat sent no openid');
    return { openid: r.openid, unionid: r.unionid ?? null, sessionKey: r.session_key };
  }
}

function loginError(errcode: number): AppError {
  switch (errcode) {
    case 40029:
      return new AppError('WECHAT_LOGIN_FAILED', 401, 'the login code is invalid or used; call wx.login() again', {
        errcode,
      });
    case 45011:
      return new AppError('RATE_LIMITED', 429, 'too many sign-ins; try again in a minute', undefined, {
        'Retry-After': '60',
      });
    case 40226:
      return new AppError('WECHAT_LOGIN_FAILED', 403, 'WeChat blocked this sign-in', { errcode });
    case -1:
      return new AppError('WECHAT_LOGIN_FAILED', 503, 'WeChat is busy; try again', { errcode });
    default:
      return new AppError('WECHAT_LOGIN_FAILED', 502, `WeChat refused the sign-in (${errcode})`, { errcode });
  }
}
