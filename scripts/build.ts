/**
 * `pnpm build`: compiles the runtime packages (shared-types, db, bff) to JavaScript in each
 * package's `dist/`, so production runs them with plain `node` (no transpiler at run time):
 *
 *   node --enable-source-maps bff/dist/main.js         the BFF
 *   node --enable-source-maps db/dist/cli.js migrate   migrations (also seed, provision, backup)
 *
 * The BFF and the db CLI are bundled with their dependencies (see RUNTIME_PACKAGES). Each
 * package's `exports` send `default` to `dist/` and the `heyi-source` condition (tsx, Vitest,
 * Taro, tsc) to the TypeScript sources, so development and tests never need a build.
 * Source maps sit beside the output; `--enable-source-maps` turns stack traces back into `src/` lines.
 *
 * `--if-stale` builds only when some output is missing or older than the sources it comes from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { root } from './lib';

/**
 * What each runtime package compiles. `bundle` packages are inlined: a process then reads one file
 * where it read hundreds, which is most of the cold start. Native addons stay outside.
 */
interface PackageBuild {
  entries: string[];
  /** true: inline every dependency but `external`; false: keep every package import as an import. */
  bundle: boolean;
  external?: string[];
}

export const RUNTIME_PACKAGES: Record<string, PackageBuild> = {
  // A library of schemas: its consumers must share its zod, so nothing is inlined.
  'shared-types': { entries: ['index.ts', 'money.ts'], bundle: false },
  // The CLI (migrate, seed, provision, backup) and the library entry.
  db: { entries: ['index.ts', 'cli.ts'], bundle: true, external: ['better-sqlite3'] },
  // `main.ts` is the process; `index.ts` the library entry for embedding (sim, bench, tests).
  bff: { entries: ['index.ts', 'main.ts'], bundle: true, external: ['better-sqlite3'] },
};

const outputOf = (pkg: string, entry: string) => path.join(root, pkg, 'dist', entry.replace(/\.ts$/, '.js'));

function newestSource(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

/** Whether every output exists and is newer than every source of every runtime package. */
export function buildIsFresh(): boolean {
  const outputs = Object.entries(RUNTIME_PACKAGES).flatMap(([pkg, b]) => b.entries.map((e) => outputOf(pkg, e)));
  const oldestOutput = Math.min(...outputs.map((f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const newestInput = Math.max(
    ...Object.keys(RUNTIME_PACKAGES).flatMap((pkg) => [
      newestSource(path.join(root, pkg, 'src')),
      fs.statSync(path.join(root, pkg, 'package.json')).mtimeMs,
    ]),
  );
  return oldestOutput > newestInput;
}

export async function buildRuntime(): Promise<void> {
  for (const [pkg, { entries, bundle, external }] of Object.entries(RUNTIME_PACKAGES)) {
    const dir = path.join(root, pkg);
    fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
    await build({
      absWorkingDir: dir,
      entryPoints: entries.map((e) => `src/${e}`),
      outdir: 'dist',
      bundle: true,
      ...(bundle ? { external, splitting: true, conditions: ['heyi-source'] } : { packages: 'external' as const }),
      // Inlined CommonJS packages (koa, pino, mysql2 …) call require() for node's own modules.
      ...(bundle
        ? {
            banner: {
              js: "import { createRequire as heyiRequire } from 'node:module'; const require = heyiRequire(import.meta.url);",
            },
          }
        : {}),
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      minify: bundle,
      // The maps point back at src/, which ships with the checkout; no need to copy it in.
      sourcesContent: false,
      logLevel: 'warning',
      tsconfig: path.join(dir, 'tsconfig.json'),
    });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.join(root, 'scripts', 'build.ts');
if (isMain) {
  if (process.argv.includes('--if-stale') && buildIsFresh()) {
    console.log('build: dist/ is newer than the sources; nothing to do');
  } else {
    const started = Date.now();
    await buildRuntime();
    console.log(`build: ${Object.keys(RUNTIME_PACKAGES).join(', ')} → dist/ in ${Date.now() - started} ms`);
  }
}
