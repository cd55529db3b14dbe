import { useEffect, useState } from 'react';
import type { StoreView } from 'shared-types';
import { DEFAULT_TIMEZONE } from '../utils/time';
import { listStores } from './api';

/**
 * What the member's pages need to know about a store they only have the id of (orders carry
 * `storeId` but neither the store's name nor its timezone): read once from the public store list
 * and kept for the session. A failed read is not kept, so the next page asks again.
 */

export type StoreDirectory = ReadonlyMap<string, StoreView>;

let directory: Promise<StoreDirectory> | null = null;

/** The stores by id; `fresh` reads the list again (opening state and hours change over the day). */
export function storeDirectory(fresh = false): Promise<StoreDirectory> {
  if (fresh) directory = null;
  directory ??= listStores().then(
    ({ stores }) => new Map(stores.map((s) => [s.id, s])),
    (err: unknown) => {
      directory = null;
      throw err;
    },
  );
  return directory;
}

/** Tests only: start the next page from an empty directory. */
export function forgetStoreDirectory(): void {
  directory = null;
}

/** The directory once loaded; null while loading or when it could not be read (names are optional). */
export function useStoreDirectory(fresh = false): StoreDirectory | null {
  const [loaded, setLoaded] = useState<StoreDirectory | null>(null);
  useEffect(() => {
    let live = true;
    storeDirectory(fresh).then(
      (dir) => {
        if (live) setLoaded(dir);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [fresh]);
  return loaded;
}

/** The store's timezone, or the brand's default when the store is not (yet) known. */
export function zoneOf(dir: StoreDirectory | null, storeId: string | undefined): string {
  return (storeId && dir?.get(storeId)?.timezone) || DEFAULT_TIMEZONE;
}
