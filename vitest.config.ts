import { defineConfig } from 'vitest/config';

// Three projects: `unit` the pure suites, `db` every other suite that talks to PostgreSQL (CI runs
// it a second time against DATABASE_URL), `browser` the dashboard in Chromium over a seeded API.
// CI runs `unit` and `browser` again with the local timezone away from UTC.
export default defineConfig({
  test: {
    globalSetup: ['tests/setup/global-db.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2 cores: two forks, each test file with its own database.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/metrics/src/**/*.test.ts',
            'packages/shared/src/**/*.test.ts',
            'packages/ingest/src/transform/**/*.test.ts',
            'apps/web/src/**/*.test.{ts,tsx}',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: [
            'packages/db/src/**/*.test.ts',
            'packages/ingest/src/**/*.test.ts',
            'apps/api/src/**/*.test.ts',
            'apps/collector/src/**/*.test.ts',
            'packages/testkit/src/**/*.test.ts',
            'tests/**/*.test.ts',
          ],
          exclude: [
            'packages/ingest/src/transform/**',
            'tests/browser/**',
            'tests/e2e/**',
            '**/node_modules/**',
          ],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['tests/browser/**/*.test.ts', 'tests/e2e/**/*.test.ts'] },
      },
    ],
  },
});
