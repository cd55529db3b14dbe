import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * One Vitest run for the server-side packages. The global setup finds the real MariaDB and Redis
 * that storage and cache tests also run on (required under CI=true). The mini-program has its
 * own config (jsdom) and is run by `pnpm test` separately.
 */
export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(new URL('./db/src/testing/global-setup.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'shared-types', root: './shared-types', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'db', root: './db', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        // The fault suite starts its own servers and runs on its own: `pnpm test:faults`.
        test: { name: 'bff', root: './bff', include: ['src/**/*.test.ts'], exclude: ['src/faults/**'] },
      },
      { extends: true, test: { name: 'sim', root: './sim', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'repo', root: '.', include: ['scripts/**/*.test.ts'] } },
    ],
  },
});
