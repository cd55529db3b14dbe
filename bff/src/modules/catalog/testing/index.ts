import { demoIds, demoMeituanToken, demoStores } from 'db';
import type { Container } from '../../../container';
import { MappingRepo } from '../sync/repo-mapping';

export { demoMeituanToken };

/**
 * Binds demo stores to the simulators in a test app, as the seed does for `pnpm start` (tests seed
 * without knowing the app's encryption key): Meituan with the simulator's token, sealed with the
 * app's own SecretBox, and Ele.me by shopId. For tests of other modules that need bound stores.
 */
export async function bindDemoStores(
  container: Container,
  options: { meituan?: string[]; eleme?: string[] } = {},
): Promise<void> {
  const repo = new MappingRepo(container.db);
  const now = container.clock.now();
  for (const s of demoStores) {
    if (options.meituan?.includes(s.code) ?? true) {
      await repo.bind({
        store_id: demoIds.store(s.code),
        platform: 'meituan',
        auth_token_enc: container.secrets.seal(demoMeituanToken(s.code)),
        platform_store_id: null,
        platform_store_name: s.name,
        now,
      });
    }
    if (options.eleme?.includes(s.code) ?? true) {
      await repo.bind({
        store_id: demoIds.store(s.code),
        platform: 'eleme',
        auth_token_enc: null,
        platform_store_id: s.elemeShopId,
        platform_store_name: s.name,
        now,
      });
    }
  }
}
