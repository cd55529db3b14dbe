import { z } from 'zod';
import { Ulid } from './common';
import { StaffRole } from './enums';

/** Which stores a staff member may see and act on. */
export const StaffScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('regions'), regionIds: z.array(Ulid).min(1) }),
  z.object({ kind: z.literal('store'), storeId: Ulid }),
]);
export type StaffScope = z.infer<typeof StaffScope>;

export const StaffView = z.object({
  id: Ulid,
  username: z.string(),
  displayName: z.string(),
  role: StaffRole,
  scope: StaffScope,
});
export type StaffView = z.infer<typeof StaffView>;

export const StaffLoginRequest = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();
export type StaffLoginRequest = z.infer<typeof StaffLoginRequest>;

export const StaffLoginResponse = z.object({
  token: z.string(),
  /** Seconds until the token expires. */
  expiresIn: z.number().int().positive(),
  staff: StaffView,
});
export type StaffLoginResponse = z.infer<typeof StaffLoginResponse>;
