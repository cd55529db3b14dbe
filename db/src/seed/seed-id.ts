import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 2026-01-01T00:00:00Z: the time part of every seeded id. */
const SEED_TIME = 1767225600000;

/**
 * A deterministic ULID for a seeded row, so the demo brand has the same ids on every machine and
 * every database: outside checks and demos can name them.
 */
export function seedId(kind: string, code: string): string {
  let time = '';
  let t = SEED_TIME;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const digest = createHash('sha256').update(`${kind}:${code}`).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[(digest[i] as number) % 32];
  return time + random;
}
