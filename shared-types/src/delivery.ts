import { z } from 'zod';
import { Fen, IsoTime, Ulid } from './common';
import { BusinessHours } from './stores';

/** How an order reaches the customer: the store's own riders, or the platform's. */
export const DeliveryMode = z.enum(['self', 'platform']);
export type DeliveryMode = z.infer<typeof DeliveryMode>;

/**
 * Where the rider is. Platform pushes and self-delivery staff actions both land here:
 * waiting (sent to the platform / waiting for a rider) → assigned → at_store → picked_up → delivered,
 * or cancelled / failed.
 */
export const DeliveryStatus = z.enum([
  'waiting',
  'assigned',
  'at_store',
  'picked_up',
  'delivered',
  'cancelled',
  'failed',
]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** A self-delivery zone: a circle around the store with its fee, minimum order, time and hours. */
export const DeliveryZone = z
  .object({
    name: z.string().trim().min(1).max(64),
    /** Radius around the store in metres. */
    radiusM: z.number().int().min(100).max(50_000),
    fee: Fen.min(0),
    /** Minimum item total (fen) for delivery in this zone. */
    minOrder: Fen.min(0),
    /** Estimated minutes from ready to the door. */
    minutes: z.number().int().min(1).max(240),
    /** When the zone delivers, in the store's local time; empty means the store's business hours. */
    hours: BusinessHours,
  })
  .strict();
export type DeliveryZone = z.infer<typeof DeliveryZone>;

/** A store's delivery template. */
export const DeliverySettings = z
  .object({
    selfDelivery: z.object({ enabled: z.boolean(), zones: z.array(DeliveryZone).max(20) }).strict(),
    /** Which platforms deliver this store's platform orders with their own riders. */
    platformDelivery: z.object({ meituan: z.boolean(), eleme: z.boolean() }).strict(),
  })
  .strict();
export type DeliverySettings = z.infer<typeof DeliverySettings>;

export const DeliverySettingsView = DeliverySettings.extend({ storeId: Ulid, updatedAt: IsoTime.nullable() });
export type DeliverySettingsView = z.infer<typeof DeliverySettingsView>;

export const RiderEventView = z.object({
  status: DeliveryStatus,
  at: IsoTime,
  riderName: z.string().nullable(),
  riderPhone: z.string().nullable(),
  source: z.enum(['staff', 'platform', 'system']),
});
export type RiderEventView = z.infer<typeof RiderEventView>;

/** The delivery of one order: who carries it and the rider's timeline. */
export const DeliveryView = z.object({
  mode: DeliveryMode,
  status: DeliveryStatus,
  riderName: z.string().nullable(),
  riderPhone: z.string().nullable(),
  /** Meituan's logistics code (0000 self, 1001–1004 Meituan, 3001 mixed), when known. */
  logisticsCode: z.string().nullable(),
  zoneName: z.string().nullable(),
  timeline: z.array(RiderEventView),
});
export type DeliveryView = z.infer<typeof DeliveryView>;
