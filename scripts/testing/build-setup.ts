import { buildIsFresh, buildRuntime } from '../build';

/**
 * Vitest global setup: the tests of the compiled BFF (`bff/src/deploy.test.ts`) run `dist/`, so it
 * is built here, once, before any test file starts, when it is missing or older than the sources.
 */
export default async function buildCompiledOutput(): Promise<void> {
  if (!buildIsFresh()) await buildRuntime();
}
