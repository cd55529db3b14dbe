import { z } from 'zod';
import { IsoTime, Ulid } from './common';

/** The code from `wx.login()`; it is used once and expires in about five minutes. */
export const MemberLoginRequest = z.object({ code: z.string().trim().min(1).max(128) }).strict();
export type MemberLoginRequest = z.infer<typeof MemberLoginRequest>;

/** A member as the member sees themselves. WeChat's session key never leaves the server. */
export const MemberView = z.object({
  id: Ulid,
  /** Whether WeChat gave us a unionid (the app is bound to an Open Platform account). */
  hasUnionId: z.boolean(),
  createdAt: IsoTime,
});
export type MemberView = z.infer<typeof MemberView>;

export const MemberLoginResponse = z.object({
  token: z.string(),
  /** Seconds until the token expires; sign in again with a fresh `wx.login()` code after. */
  expiresIn: z.number().int().positive(),
  member: MemberView,
});
export type MemberLoginResponse = z.infer<typeof MemberLoginResponse>;
