/**
 * The dependency rules of the layers and modules (docs/architecture.md, "Dependencies").
 * Checked by `pnpm test` (scripts/test.ts) and by `pnpm deps`.
 */
const TEST = '(\\.test\\.tsx?|\\.bench\\.ts|\\.fixture\\.ts)$|/testing/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles: between modules, between layers, or inside one.',
      from: { path: '^(bff|sim|db|shared-types)/src' },
      to: { circular: true },
    },
    {
      name: 'modules-not-to-channels',
      severity: 'error',
      comment:
        'Channels depend on modules, never the reverse: a module publishes an event and the sync worker calls the channel.',
      from: { path: '^bff/src/modules/', pathNot: TEST },
      to: { path: '^bff/src/channels/' },
    },
    {
      name: 'modules-not-to-container-or-app',
      severity: 'error',
      comment: 'Modules get what they need handed over by container.ts; they never reach for it.',
      from: { path: '^bff/src/modules/', pathNot: TEST },
      to: { path: '^bff/src/(container|app|server)\\.ts$' },
    },
    {
      name: 'modules-not-to-http',
      severity: 'error',
      comment: "Only a module's routes files speak HTTP; its services and repos do not import the HTTP layer.",
      from: { path: '^bff/src/modules/', pathNot: `${TEST}|/routes[a-z-]*\\.ts$` },
      to: { path: '^bff/src/http/' },
    },
    {
      name: 'modules-not-to-other-repos',
      severity: 'error',
      comment:
        "A module's repo is reachable from inside the module only; others call its service. Importing a row type is allowed: it is the shape the service hands out.",
      from: { path: '^bff/src/modules/([^/]+)/', pathNot: TEST },
      to: {
        path: '^bff/src/modules/[^/]+/[a-z/-]*repo[a-z-]*[.]ts$',
        pathNot: '^bff/src/modules/$1/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment: 'lib/ holds neutral helpers (errors, clock, time); it imports nothing else of the BFF.',
      from: { path: '^bff/src/lib/' },
      to: { path: '^bff/src/', pathNot: '^bff/src/lib/' },
    },
    {
      name: 'production-not-to-test-support',
      severity: 'error',
      comment: 'Test support lives in testing/ folders and *.fixture.ts files that production code never imports.',
      from: { path: '^(bff|sim|db|shared-types|miniapp)/src', pathNot: TEST },
      to: { path: `${TEST}|/node_modules/(vitest|@vitest)/` },
    },
    {
      name: 'sim-not-to-bff',
      severity: 'error',
      comment: "The simulators check the BFF with their own implementation of each platform's rules.",
      from: { path: '^sim/src/', pathNot: TEST },
      to: { path: '^bff/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['types', 'module', 'main'],
    },
  },
};
