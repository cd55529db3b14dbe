import { z } from 'zod';

/** Our own ids are ULIDs: 26 Crockford base32 characters, sortable by creation time. */
export const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');

/** The largest amount anything in heyi holds: 100 billion yuan, well inside exact integers. */
export const MAX_FEN = 1e13;
/** An amount of money in fen (分). */
export const Fen = z.number().int().min(-MAX_FEN).max(MAX_FEN);

/** Platform ids exceed 2^53, so they travel as strings of digits (or the platform's own text). */
export const PlatformId = z.string().min(1).max(64);

/** A timestamp on the wire: ISO 8601 in UTC. */
export const IsoTime = z.iso.datetime({ offset: true });

export const LatLng = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type LatLng = z.infer<typeof LatLng>;
