import { decoyHash, verifyPassword } from 'db';
import type { StaffLoginResponse, StaffView } from 'shared-types';
import type { Clock } from '../../lib/clock';
import { AppError, errors } from '../../lib/errors';
import type { StaffPrincipal } from '../../lib/principal';
import type { TokenService } from '../../lib/tokens';
import type { StoreService } from '../stores/service';
import type { StaffRepo, StaffRow } from './repo';
import { StoreAccess, scopeOf } from './scope';

export class StaffService {
  constructor(
    private readonly repo: StaffRepo,
    private readonly stores: StoreService,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {}

  private async view(row: StaffRow): Promise<StaffView> {
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      scope: scopeOf(row, row.role === 'region_manager' ? await this.repo.regionIds(row.id) : []),
    };
  }

  async login(username: string, password: string): Promise<StaffLoginResponse> {
    const row = await this.repo.byUsername(username);
    // Verify against a decoy when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
    if (!row || !ok || row.status !== 'active') {
      throw new AppError('INVALID_CREDENTIALS', 401, 'wrong username or password');
    }
    const staff = await this.view(row);
    const { token, expiresIn } = await this.tokens.issueStaff({
      sub: row.id,
      brandId: row.brand_id,
      role: row.role,
      ver: row.token_version,
    });
    await this.repo.recordLogin(row.id, this.clock.now());
    return { token, expiresIn, staff };
  }

  /** The principal behind a staff token; a disabled account or a bumped token version is refused. */
  async principal(token: string): Promise<StaffPrincipal> {
    const claims = await this.tokens.verifyStaff(token);
    const row = await this.repo.byId(claims.sub);
    if (row?.status !== 'active' || row.token_version !== claims.ver) {
      throw new AppError('UNAUTHENTICATED', 401, 'this sign-in is no longer valid; sign in again');
    }
    const regionIds = row.role === 'region_manager' ? await this.repo.regionIds(row.id) : [];
    const access = new StoreAccess(scopeOf(row, regionIds), (ids) => this.stores.idsInRegions(ids));
    return {
      kind: 'staff',
      id: row.id,
      username: row.username,
      brandId: row.brand_id,
      role: row.role,
      assertStore: (storeId) => access.assert(storeId),
      storeIds: () => access.storeIds(),
    };
  }

  async me(staffId: string): Promise<StaffView> {
    const row = await this.repo.byId(staffId);
    if (!row) throw errors.notFound('staff');
    return this.view(row);
  }
}
