// The layering of ARCHITECTURE.md, checked by `npm run depcheck` (CI runs it after lint and
// typecheck). Paths are the files' real paths: `@stride/<name>` resolves through the workspace
// links to packages/<name> or apps/<name>.

// Test code: test files, the integration/browser suites, benches and scripts. It may use the test
// kit and talk SQL to assert or prepare what production code wrote.
const TEST_CODE = ['\\.test\\.tsx?$', '^tests/', '^scripts/'];

// Node built-ins that reach outside the process (files, network, processes, the machine).
const IO_BUILTINS =
  '^(node:)?(fs|fs/promises|net|http|http2|https|tls|dgram|dns|dns/promises|child_process|cluster|worker_threads|os|readline|repl|inspector|process|v8|vm)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-app',
      comment:
        'Apps import packages, never another app: shared code belongs in a package (packages/ingest, packages/shared...).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'package-imports-app',
      comment: 'Packages are below apps: they never import one.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'db-imports-only-shared-and-metrics',
      comment:
        'packages/db is the bottom layer under packages/ingest and the apps: of the workspace it imports only the pure packages/shared and packages/metrics (period and percentile types).',
      severity: 'error',
      from: { path: '^packages/db/', pathNot: TEST_CODE },
      to: { path: '^packages/(?!db/|shared/|metrics/)' },
    },
    {
      name: 'metrics-imports-nothing',
      comment:
        'packages/metrics is pure (no clock, database or network): no other workspace package and no node built-in that does IO.',
      severity: 'error',
      from: { path: '^packages/metrics/', pathNot: TEST_CODE },
      to: {
        path: ['^packages/(?!metrics/)', '^apps/', IO_BUILTINS],
      },
    },
    {
      name: 'sql-only-in-db',
      comment: 'SQL lives only in packages/db: other production code calls its query functions.',
      severity: 'error',
      // The test kit is test code too: it creates test databases and prepares rows for tests.
      from: { pathNot: ['^packages/db/', '^packages/testkit/', ...TEST_CODE] },
      to: { path: '^node_modules/(kysely|pg|pg-pool|pg-native|pg-copy-streams|postgres)/' },
    },
    {
      name: 'production-imports-testkit',
      comment:
        'The test kit (packages/testkit: organisation model, fakes) is for tests, benches and scripts only.',
      severity: 'error',
      from: { pathNot: ['^packages/testkit/', ...TEST_CODE] },
      to: { path: '^packages/testkit/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(apps|packages)/[^/]+/dist/', '^tests/fixtures/'] },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
