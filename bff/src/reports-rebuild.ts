/**
 * `pnpm reports:rebuild --from YYYY-MM-DD --to YYYY-MM-DD [--store CODE …]`: recounts the report
 * rollups of those business days from the orders (repair after a restore or a bug). Without
 * `--store`, every store of the database. Safe while the BFF runs: each store's days are recounted
 * in one transaction.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from './config';
import { buildContainer } from './container';

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, store: { type: 'string', multiple: true } },
});
const args = z.object({ from: z.iso.date(), to: z.iso.date(), store: z.array(z.string()).optional() }).parse(values);

const container = await buildContainer(loadConfig(process.env));
try {
  let q = container.db.selectFrom('store').select(['id', 'code']);
  if (args.store) q = q.where('code', 'in', args.store);
  const stores = await q.execute();
  const missing = (args.store ?? []).filter((c) => !stores.some((s) => s.code === c));
  if (missing.length > 0) throw new Error(`unknown store codes: ${missing.join(', ')}`);
  const counted = await container.services.reports.rollups.rebuild(
    stores.map((s) => s.id),
    args.from,
    args.to,
  );
  console.log(`recounted ${counted} orders of ${stores.length} stores, ${args.from} … ${args.to}`);
} finally {
  await container.close();
}
