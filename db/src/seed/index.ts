import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { seedDemoBindings } from './demo-bindings';
import { seedDemoCore } from './demo-core';
import { seedDemoDelivery } from './demo-delivery';
import { seedDemoMedia } from './demo-media';
import { seedDemoMenu } from './demo-menu';

export { demoMeituanBindings, demoMeituanToken } from './demo-bindings';
export * from './demo-core';
export { demoDishArt, demoMediaId, seedDemoMedia } from './demo-media';
export { seedDemoMenu, skusOf } from './demo-menu';
export * from './demo-menu-data';
export { seedId } from './seed-id';

export class SeedRefusedError extends Error {}

/**
 * Seeds the demo brand. For the embedded default, demos and tests only: it refuses to run with
 * NODE_ENV=production, where demo logins with a published password would be a hole.
 */
export async function seedDemo(db: Kysely<Database>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.NODE_ENV === 'production') {
    throw new SeedRefusedError('refusing to seed demo data with NODE_ENV=production');
  }
  await seedDemoCore(db);
  await seedDemoMenu(db);
  await seedDemoMedia(db);
  await seedDemoBindings(db, env);
  await seedDemoDelivery(db);
}
