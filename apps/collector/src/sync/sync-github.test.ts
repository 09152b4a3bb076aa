import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '@stride/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeGitHubServer,
  RECORDED_FIXTURES_DIR,
  startFakeGitHubServer,
} from '../fakes/github-api-server.ts';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { runAllSyncs } from './run-all-syncs.ts';

const fixture = (name: string) => JSON.parse(readFileSync(`${RECORDED_FIXTURES_DIR}${name}`, 'utf8'));
type Json = Record<string, unknown>;

describe('GitHub sync against the fake GitHub API (recorded data)', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer();
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('first sync stores the recorded rows; a re-sync costs under 2 % of its requests', async () => {
    const ctx = createSyncTestContext(t.db, server.url);
    const first = await runAllSyncs(ctx);
    const pulls: Json[] = fixture('github_pulls.json')['panjf2000/ants'];
    const merged = pulls.filter((p) => p.merged_at);
    const rows = await t.db
      .selectFrom('pull_requests')
      .select(['number', 'state', 'first_commit_at', 'additions'])
      .execute();
    expect(rows).toHaveLength(pulls.length);
    expect(rows.filter((r) => r.state === 'merged')).toHaveLength(merged.length);
    const firstRequests = first.reduce((n, r) => n + r.requests, 0);
    const again = await runAllSyncs(ctx);
    // Every re-sync request is a conditional one answered 304: no rate limit spent.
    const againCost = again.reduce((n, r) => n + r.requests - r.notModified, 0);
    expect(againCost / firstRequests).toBeLessThan(0.02);
  });
});
