import { newId } from 'db';
import type { MemberLoginResponse, MemberView } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { SecretBox } from '../../lib/secret-box';
import type { TokenService } from '../../lib/tokens';
import type { MemberRepo, MemberRow } from './repo';

/** What `jscode2session` gives for a `wx.login()` code. The session key stays on the server. */
export interface WechatSession {
  openid: string;
  unionid: string | null;
  sessionKey: string;
}

/** WeChat's sign-in as members need it (channels/wechat/code2session.ts implements it). */
export interface WechatSignIn {
  exchange(code: string): Promise<WechatSession>;
}

/**
 * Members sign in with WeChat: the login code becomes an openid (and unionid) at WeChat, the
 * member is found or created, WeChat's session key is sealed and kept server-side (it is
 * overwritten on every sign-in, as a new wx.login may replace it), and our own token is issued.
 */
export class MemberService {
  private brandId: string | null = null;

  constructor(
    private readonly repo: MemberRepo,
    private readonly wechat: WechatSignIn,
    private readonly tokens: TokenService,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  private async brand(): Promise<string> {
    this.brandId ??= await this.repo.soleBrandId();
    if (!this.brandId) throw new AppError('NOT_READY', 503, 'no brand is set up for member sign-in');
    return this.brandId;
  }

  async login(code: string): Promise<MemberLoginResponse> {
    const brandId = await this.brand();
    const session = await this.wechat.exchange(code);
    const now = this.clock.now();
    let member =
      (session.unionid ? await this.repo.byUnionid(brandId, session.unionid) : undefined) ??
      (await this.repo.byOpenid(brandId, session.openid));
    if (!member) {
      await this.repo.insertIfAbsent({
        id: newId(now),
        brand_id: brandId,
        openid: session.openid,
        unionid: session.unionid,
        status: 'active',
        created_at: now,
        updated_at: now,
        last_login_at: now,
      });
      member = await this.repo.byOpenid(brandId, session.openid);
    }
    if (!member) throw new Error('member vanished after insert');
    if (member.status !== 'active') throw new AppError('FORBIDDEN', 403, 'this member account is blocked');
    await this.repo.touchLogin(member.id, member.unionid ? null : session.unionid, now);
    await this.repo.saveSessionKey(member.id, this.secrets.seal(session.sessionKey), now);
    const { token, expiresIn } = await this.tokens.issueMember({ sub: member.id, brandId });
    return { token, expiresIn, member: this.view({ ...member, unionid: member.unionid ?? session.unionid }) };
  }

  /** For the authenticator: a member token is refused once its member is gone or blocked. */
  async assertActive(memberId: string, brandId: string): Promise<void> {
    const member = await this.repo.byId(memberId);
    if (!member || member.brand_id !== brandId || member.status !== 'active') {
      throw new AppError('UNAUTHENTICATED', 401, 'this sign-in is no longer valid; sign in again');
    }
  }

  async get(memberId: string): Promise<MemberRow> {
    const member = await this.repo.byId(memberId);
    if (!member) throw new AppError('NOT_FOUND', 404, 'member not found');
    return member;
  }

  /** The member's openid, for WeChat Pay's payer. */
  async openid(memberId: string): Promise<string> {
    return (await this.get(memberId)).openid;
  }

  view(member: MemberRow): MemberView {
    return {
      id: member.id,
      hasUnionId: member.unionid !== null,
      createdAt: new Date(Number(member.created_at)).toISOString(),
    };
  }
}
