import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { StaffRole } from 'shared-types';
import type { Clock } from './clock';
import { AppError } from './errors';

const ISSUER = 'heyi';
const STAFF_AUDIENCE = 'heyi-staff';
const MEMBER_AUDIENCE = 'heyi-member';

export interface StaffClaims {
  sub: string;
  brandId: string;
  role: StaffRole;
  /** The staff row's token_version when issued; a bump revokes the token. */
  ver: number;
}

export interface MemberClaims {
  sub: string;
  brandId: string;
}

/**
 * Short-lived HS256 JWTs of our own, for staff and members. Audiences differ, so a member token
 * never opens a staff route and the other way round.
 */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly staffTtlSeconds: number,
    private readonly memberTtlSeconds: number,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  private async sign(audience: string, sub: string, claims: Record<string, unknown>, ttl: number) {
    const now = Math.floor(this.clock.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(this.key);
    return { token, expiresIn: ttl };
  }

  issueStaff(claims: StaffClaims) {
    const { sub, ...rest } = claims;
    return this.sign(STAFF_AUDIENCE, sub, rest, this.staffTtlSeconds);
  }

  issueMember(claims: MemberClaims) {
    const { sub, ...rest } = claims;
    return this.sign(MEMBER_AUDIENCE, sub, rest, this.memberTtlSeconds);
  }

  private async verify(token: string, audience: string): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience,
        algorithms: ['HS256'],
        currentDate: new Date(this.clock.now()),
      });
      return payload as Record<string, unknown>;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new AppError('TOKEN_EXPIRED', 401, 'the sign-in has expired; sign in again');
      }
      throw new AppError('UNAUTHENTICATED', 401, 'the token is not valid');
    }
  }

  async verifyStaff(token: string): Promise<StaffClaims> {
    const p = await this.verify(token, STAFF_AUDIENCE);
    if (
      typeof p.sub !== 'string' ||
      typeof p.brandId !== 'string' ||
      typeof p.role !== 'string' ||
      typeof p.ver !== 'number'
    ) {
      throw new AppError('UNAUTHENTICATED', 401, 'the token is not valid');
    }
    return { sub: p.sub, brandId: p.brandId, role: p.role as StaffRole, ver: p.ver };
  }

  async verifyMember(token: string): Promise<MemberClaims> {
    const p = await this.verify(token, MEMBER_AUDIENCE);
    if (typeof p.sub !== 'string' || typeof p.brandId !== 'string') {
      throw new AppError('UNAUTHENTICATED', 401, 'the token is not valid');
    }
    return { sub: p.sub, brandId: p.brandId };
  }
}

/** The bearer token of a request, or a 401. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 401, 'sign in first: send Authorization: Bearer <token>');
  return match[1];
}
