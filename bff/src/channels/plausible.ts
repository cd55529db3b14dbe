import { z } from 'zod';
import { YuanAsFen } from './yuan';

/**
 * What a platform can really send in the fields the order flow counts on (docs/platform-pushes.md
 * gives the reasons). A value outside these bounds is a malformed push: refused in the platform's
 * own error shape before anything is written, so it can never reach the stock pool.
 */

/**
 * A line's quantity: a whole number of at least 1. Neither platform documents a ceiling; 9,999 of
 * one dish in one delivery order is far above any real basket and far below what would empty a
 * store's counted stock by accident (1e9).
 */
export const MAX_LINE_QUANTITY = 9_999;

/** The earliest order time we believe (2015-01-01 UTC, in seconds): `ctime` −1 or 0 is no time at all. */
export const EARLIEST_ORDER_TIME_S = 1_420_070_400;

export const lineQuantity = z
  .number()
  .int('quantity must be a whole number')
  .min(1, 'quantity must be at least 1')
  .max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`);

/** A price or fee in yuan, read as fen: never negative (discounts travel in their own fields). */
export const NonNegativeYuanAsFen = YuanAsFen.pipe(z.number().nonnegative('amount must not be negative'));
