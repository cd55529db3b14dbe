/**
 * `pnpm deps` (second half): no import cycle between the BFF's modules, channels and layers.
 * dependency-cruiser's `no-cycles` rule sees files; two modules can still lean on each other
 * through different files (catalog/a → stock/b and stock/c → catalog/d). This collapses every file
 * to its unit — `modules/<name>`, `channels/<name>`, or the top-level folder or file under
 * `bff/src` (`http`, `sync`, `container`, …) — and refuses any cycle between units. Test support
 * is left out, as in the file rules.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './lib';

const TEST = /(\.test\.tsx?|\.bench\.ts|\.fixture\.ts)$|\/testing\//;

export interface CruisedModule {
  source: string;
  dependencies: { resolved: string }[];
}

/** The unit a file of bff/src belongs to, or null outside bff/src. */
export function unitOf(file: string): string | null {
  const m =
    /^bff\/src\/((?:modules|channels)\/[^/]+)\//.exec(file) ??
    /^bff\/src\/([^/]+)\//.exec(file) ??
    /^bff\/src\/([^/]+)\.tsx?$/.exec(file);
  return m?.[1] ?? null;
}

/** Every cycle between units, each as the units in order with one file edge per step. */
export function unitCycles(modules: CruisedModule[]): string[][] {
  const edges = new Map<string, Map<string, string>>();
  for (const mod of modules) {
    const from = unitOf(mod.source);
    if (!from || TEST.test(mod.source)) continue;
    for (const dep of mod.dependencies) {
      const to = unitOf(dep.resolved);
      if (!to || to === from || TEST.test(dep.resolved)) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${mod.source} → ${dep.resolved}`);
      edges.set(from, out);
    }
  }
  // Tarjan's strongly connected components; a component of more than one unit is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) {
        const members = new Set(component);
        cycles.push(
          component.flatMap((a) =>
            [...(edges.get(a) ?? [])].filter(([b]) => members.has(b)).map(([b, via]) => `${a} → ${b} (${via})`),
          ),
        );
      }
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
  const run = spawnSync(bin, ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'bff/src'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0 && !run.stdout) {
    console.error(run.stderr);
    process.exit(1);
  }
  const cycles = unitCycles((JSON.parse(run.stdout) as { modules: CruisedModule[] }).modules);
  if (cycles.length > 0) {
    console.error('✘ import cycles between BFF modules, channels or layers:');
    for (const cycle of cycles) console.error(`  ${cycle.join('\n  ')}\n`);
    process.exit(1);
  }
  console.log('✔ no import cycles between BFF modules, channels or layers');
}
