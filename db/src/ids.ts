import { monotonicFactory } from 'ulidx';

const ulid = monotonicFactory();

/** A new ULID: sortable by creation time and unique across processes. */
export function newId(now: number = Date.now()): string {
  return ulid(now);
}
