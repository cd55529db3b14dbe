import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:faults`: the fault suite (bff/src/faults). Real BFF processes against a MariaDB and a
 * Redis each test file starts for itself on free ports and kills, stops and restarts at will; the
 * shared servers on 3306 and 6379 are never touched. Two files run at a time: much of each is
 * waiting (for a restart, a lease, an outage to end), and no assertion depends on speed.
 */
export default defineConfig({
  test: {
    name: 'faults',
    root: './bff',
    include: ['src/faults/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
