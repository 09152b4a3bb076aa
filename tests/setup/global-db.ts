import { startScratchPostgres } from '@stride/db';
import type { TestProject } from 'vitest/node';

/**
 * One PostgreSQL server for the whole run: DATABASE_URL's server when set (CI runs the suite
 * again against PostgreSQL 15 that way), otherwise an embedded PostgreSQL in a temporary
 * directory. Each test file then creates its own database (createTestDatabase).
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('databaseAdminUrl', external);
    return;
  }
  const server = await startScratchPostgres(undefined, 'stride-test-pg-');
  project.provide('databaseAdminUrl', server.adminUrl);
  return () => server.stop();
}
