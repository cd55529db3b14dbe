import type { StaffRole } from 'shared-types';

/** Who is calling, as the HTTP layer established it; services take it to check scope and to record the actor. */
export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  username: string;
  brandId: string;
  role: StaffRole;
  /** Asserts the store is inside this staff member's scope; resolves the scope at most once per request. */
  assertStore(storeId: string): Promise<void>;
  /** Store ids in scope, or 'all'. */
  storeIds(): Promise<string[] | 'all'>;
}

export interface MemberPrincipal {
  kind: 'member';
  id: string;
  brandId: string;
}
