import { yuanToFen } from 'shared-types/money';
import { z } from 'zod';

/**
 * A platform's yuan amount (a JSON number or a decimal string) read as integer fen at the adapter
 * edge, without float drift (`19.9` → 1990). An amount too large for exact fen is a validation
 * issue of the payload, like any other malformed field.
 */
export const YuanAsFen = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform((value, ctx) => {
  try {
    return yuanToFen(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});
