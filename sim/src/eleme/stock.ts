import { z } from 'zod';
import { registerEleme, SimError } from '../registry';
import type { SimState } from '../state';

/**
 * Ele.me's stock and shelf APIs (`eleme.product.item.batchUpdateStock` with `stockMap`
 * `{specId: stock}`, `batchOnShelf` / `batchOffShelf` with `specIds` `[{itemId, itemSpecIds}]`);
 * the gateway has checked the signature and token. Spec ids are Ele.me's own and unique across
 * shops, so what Ele.me shows is kept per spec (with its item), apart from the menu the catalog
 * sync uploads: a call for a spec the simulator never created is still taken.
 */

export interface ElemeShownSpec {
  itemId: string | null;
  /** 'off' after batchOffShelf, 'on' after batchOnShelf, null while only stock was sent. */
  shelf: 'on' | 'off' | null;
  stock: number | null;
  updatedAt: number;
}

/** Per spec id (digits as text): what Ele.me shows. */
export type ElemeStockBook = Map<string, ElemeShownSpec>;

export function elemeStock(state: SimState): ElemeStockBook {
  return state.ext('eleme.stock', () => new Map() as ElemeStockBook);
}

export function elemeShown(state: SimState, specId: string): ElemeShownSpec | undefined {
  return elemeStock(state).get(specId);
}

function show(state: SimState, specId: string, change: Partial<ElemeShownSpec>, now: number): void {
  const book = elemeStock(state);
  const before = book.get(specId);
  book.set(specId, {
    itemId: before?.itemId ?? null,
    shelf: before?.shelf ?? null,
    stock: before?.stock ?? null,
    ...change,
    updatedAt: now,
  });
}

/** Ele.me ids are Java longs: bare JSON numbers, which the gateway parsed to their exact digits. */
const LongId = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative()]).transform((v) => String(v));

const SpecIds = z
  .array(z.object({ itemId: LongId, itemSpecIds: z.array(LongId).min(1) }).strict())
  .min(1)
  .max(200);

const StockMap = z
  .record(z.string().regex(/^\d{1,19}$/, 'spec ids are numbers'), z.number().int().min(0).max(10_000))
  .refine((m) => Object.keys(m).length > 0 && Object.keys(m).length <= 200, 'one to 200 specs');

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SimError(
      'VALIDATION_FAILED',
      `${what}${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

for (const [action, shelf] of [
  ['eleme.product.item.batchOffShelf', 'off'],
  ['eleme.product.item.batchOnShelf', 'on'],
] as const) {
  registerEleme(action, (call, ctx) => {
    for (const item of parse(SpecIds, call.params.specIds, 'specIds')) {
      for (const specId of item.itemSpecIds) show(ctx.state, specId, { itemId: item.itemId, shelf }, ctx.now);
    }
    return null;
  });
}

registerEleme('eleme.product.item.batchUpdateStock', (call, ctx) => {
  for (const [specId, stock] of Object.entries(parse(StockMap, call.params.stockMap, 'stockMap'))) {
    show(ctx.state, specId, { stock }, ctx.now);
  }
  return null;
});
