import {
  upsertDeploymentChanges,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequests,
  upsertRepositories,
} from '@stride/db';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLinks } from './derive-links.ts';

const day = (d: number, h = 12) => new Date(Date.UTC(2025, 0, d, h));

describe('deriveLinks', () => {
  let t: TestDatabase;
  let api: string;
  let web: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    const repos = await upsertRepositories(t.db, [
      { external_id: '1', full_name: 'acme/api', default_branch: 'main' },
      { external_id: '2', full_name: 'acme/web', default_branch: 'main' },
    ]);
    api = repos.get('acme/api')!;
    web = repos.get('acme/web')!;
    const pr = (repository: string, n: number, title: string, merged: number, unplanned = false) => ({
      repository_id: repository,
      external_id: `${repository}-${n}`,
      number: n,
      title,
      author_login: 'ada',
      state: 'merged' as const,
      base_branch: 'main',
      created_at: day(1),
      merged_at: day(merged),
      is_unplanned: unplanned,
      source_updated_at: day(20),
    });
    await upsertPullRequests(t.db, [
      pr(api, 1, 'Add search', 2),
      pr(api, 2, 'Fix crash', 3, true),
      pr(api, 3, 'Revert "Add search"', 5),
      pr(api, 4, 'Ship exactly', 5),
      pr(web, 1, 'Web change', 2, true),
    ]);
    const deployment = (repository: string, id: string, deployed: number) => ({
      repository_id: repository,
      source: 'webhook' as const,
      external_id: id,
      environment: 'production',
      is_production: true,
      status: 'success',
      created_at: day(deployed),
      deployed_at: day(deployed, 15),
    });
    await upsertDeployments(t.db, [
      deployment(api, 'api-d4', 4),
      deployment(api, 'api-d6', 6),
      deployment(web, 'web-d4', 4),
    ]);
    await upsertIncidents(t.db, [
      { source: 'webhook', external_id: 'i-api', repository_id: api, started_at: day(7) },
    ]);
  });
  afterAll(() => t.destroy());

  const rows = () =>
    t.db
      .selectFrom('deployments as d')
      .select(['d.external_id', 'd.is_unplanned', 'd.rolled_back'])
      .select((eb) =>
        eb
          .selectFrom('deployment_changes as dc')
          .whereRef('dc.deployment_id', '=', 'd.id')
          .select((e) => e.fn.countAll<string>().as('n'))
          .as('changes'),
      )
      .orderBy('d.external_id')
      .execute();
  const cause = async () =>
    (
      await t.db
        .selectFrom('incidents as i')
        .leftJoin('deployments as d', 'd.id', 'i.caused_by_deployment_id')
        .select('d.external_id')
        .executeTakeFirstOrThrow()
    ).external_id;

  it('with no repositories only attributes incidents (an incident changes no change links)', async () => {
    expect(await deriveLinks(t.db, { repositoryIds: [], attributionWindowDays: 7 })).toEqual({
      changesLinked: 0,
      incidentsAttributed: 1,
    });
    expect(await cause()).toBe('api-d6');
    expect((await rows()).every((r) => Number(r.changes) === 0)).toBe(true);
  });

  it("links a repository's changes, then derives its deployments' flags from them, and keeps exact links", async () => {
    const ids = await t.db.selectFrom('pull_requests').select(['id', 'external_id']).execute();
    const exact = ids.find((p) => p.external_id === `${api}-4`)!.id;
    const d6 = (
      await t.db
        .selectFrom('deployments')
        .select('id')
        .where('external_id', '=', 'api-d6')
        .executeTakeFirstOrThrow()
    ).id;
    await upsertDeploymentChanges(t.db, [{ pullRequestId: exact, deploymentId: d6, attribution: 'commit' }]);

    const derived = await deriveLinks(t.db, { repositoryIds: [api], attributionWindowDays: 7 });
    expect(derived).toEqual({ changesLinked: 3, incidentsAttributed: 0 });
    expect(await rows()).toEqual([
      // "Add search" and "Fix crash" shipped at d4; the revert of "Add search" marks d4 rolled back.
      { external_id: 'api-d4', is_unplanned: true, rolled_back: true, changes: '2' },
      { external_id: 'api-d6', is_unplanned: false, rolled_back: false, changes: '2' },
      // Another repository is left to its own derivation.
      { external_id: 'web-d4', is_unplanned: false, rolled_back: false, changes: '0' },
    ]);
  });

  it("'all' covers every repository, and running again changes nothing", async () => {
    expect(await deriveLinks(t.db, { repositoryIds: 'all', attributionWindowDays: 7 })).toEqual({
      changesLinked: 1,
      incidentsAttributed: 0,
    });
    const once = await rows();
    expect(once.find((r) => r.external_id === 'web-d4')).toMatchObject({ is_unplanned: true, changes: '1' });
    expect(await deriveLinks(t.db, { repositoryIds: 'all', attributionWindowDays: 7 })).toEqual({
      changesLinked: 0,
      incidentsAttributed: 0,
    });
    expect(await rows()).toEqual(once);
  });
});
