import { z } from 'zod';

export const StaffRole = z.enum(['hq_admin', 'region_manager', 'store_manager', 'clerk']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Sales channels. `miniapp` and `dinein` are the brand's own; the others are delivery platforms. */
export const Channel = z.enum(['miniapp', 'dinein', 'meituan', 'eleme']);
export type Channel = z.infer<typeof Channel>;

export const Platform = z.enum(['meituan', 'eleme']);
export type Platform = z.infer<typeof Platform>;

export const MeituanGateway = z.enum(['open-cater', 'waimaiopen']);
export type MeituanGateway = z.infer<typeof MeituanGateway>;
