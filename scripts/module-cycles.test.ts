import { describe, expect, it } from 'vitest';
import { unitCycles, unitOf } from './module-cycles';

const mod = (source: string, ...deps: string[]) => ({ source, dependencies: deps.map((resolved) => ({ resolved })) });

describe('the module-level cycle check', () => {
  it('names each file by its module, channel or layer', () => {
    expect(unitOf('bff/src/modules/stock/reserve.ts')).toBe('modules/stock');
    expect(unitOf('bff/src/channels/meituan/sign.ts')).toBe('channels/meituan');
    expect(unitOf('bff/src/http/router.ts')).toBe('http');
    expect(unitOf('bff/src/container.ts')).toBe('container');
    expect(unitOf('sim/src/server.ts')).toBeNull();
  });

  it('finds two modules leaning on each other through different files', () => {
    const cycles = unitCycles([
      mod('bff/src/modules/catalog/a.ts', 'bff/src/modules/stock/b.ts'),
      mod('bff/src/modules/stock/c.ts', 'bff/src/modules/catalog/d.ts'),
    ]);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.join('\n')).toContain('modules/stock → modules/catalog');
  });

  it('allows one direction, imports inside a unit, and cycles through test support', () => {
    expect(
      unitCycles([
        mod('bff/src/modules/orders/service.ts', 'bff/src/modules/stock/service.ts', 'bff/src/modules/orders/repo.ts'),
        mod('bff/src/modules/orders/repo.ts', 'bff/src/modules/orders/service.ts'),
        mod('bff/src/modules/stock/testing/index.ts', 'bff/src/modules/orders/service.ts'),
        mod('bff/src/modules/stock/x.test.ts', 'bff/src/modules/orders/service.ts'),
      ]),
    ).toEqual([]);
  });
});
