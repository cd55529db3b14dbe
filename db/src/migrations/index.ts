import type { Migration } from 'kysely';
import * as m0001 from './0001_core';

/**
 * Every migration, in order. Names sort lexically; each domain adds its own file and one line
 * here. Applied migrations are never edited: a change is a new migration.
 */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
};
