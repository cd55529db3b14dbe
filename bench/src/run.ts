/**
 * `pnpm bench`: runs every benchmark in bench/src/*.bench.ts. Each one measures heyi next to a
 * baseline measured in the same run on the same machine, and prints the ratio: absolute numbers
 * from different machines or runs are never compared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();

if (files.length === 0) {
  console.log(only ? `no benchmark matches "${only}"` : 'no benchmarks yet');
}
for (const file of files) {
  console.log(`\n== ${file}`);
  const mod = (await import(path.join(dir, file))) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`${file} must export run()`);
  await mod.run();
}
