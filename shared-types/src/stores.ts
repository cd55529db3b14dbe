import { z } from 'zod';
import { Ulid } from './common';

/** Opening hours for one weekday range, in the store's local time ("HH:MM", end may pass midnight). */
export const BusinessHours = z.array(
  z.object({
    /** ISO weekdays this range applies to, 1 = Monday … 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).min(1),
    open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    close: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/),
  }),
);
export type BusinessHours = z.infer<typeof BusinessHours>;

/** A store as a member sees it in the mini-program. */
export const StoreView = z.object({
  id: Ulid,
  code: z.string(),
  name: z.string(),
  address: z.string(),
  phone: z.string().nullable(),
  regionId: Ulid,
  timezone: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  businessHours: BusinessHours,
  /** Distance from the point the client asked about, in metres; null when no point was given. */
  distanceM: z.number().int().nullable(),
  /** Whether the store is open right now, in its own timezone. */
  openNow: z.boolean(),
  /** When it opens next (ISO), when closed now; null when open or when it has no hours. */
  nextOpenAt: z.string().nullable(),
  /** How many days ahead members may order for pickup (预约自取); 0: only while open. */
  preorderDays: z.number().int().min(0),
});
export type StoreView = z.infer<typeof StoreView>;

export const StoreListQuery = z.object({
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
});
export type StoreListQuery = z.infer<typeof StoreListQuery>;

export const StoreListResponse = z.object({ stores: z.array(StoreView) });
export type StoreListResponse = z.infer<typeof StoreListResponse>;

/**
 * What a store's own managers may change about it (`PATCH /api/staff/stores/:storeId`): opening
 * hours, phone, address, and how many days ahead it takes pickup orders. At least one field;
 * hours are the whole new list.
 */
export const StoreSettingsPatch = z
  .object({
    businessHours: BusinessHours.min(1).max(21).optional(),
    phone: z.string().trim().min(3).max(32).nullable().optional(),
    address: z.string().trim().min(1).max(200).optional(),
    preorderDays: z.number().int().min(0).max(7).optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'change at least one field' });
export type StoreSettingsPatch = z.infer<typeof StoreSettingsPatch>;
