import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@stride/db';
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
  const dir = await mkdtemp(join(tmpdir(), 'stride-test-pg-'));
  // mkdtemp makes 0700 dirs; the server runs as the `postgres` user when we are root.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres(join(dir, 'data'));
  project.provide('databaseAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
