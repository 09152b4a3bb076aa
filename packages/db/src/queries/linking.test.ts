import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeIncidentsToDeployments } from './attribute-incidents-to-deployments.ts';
import { linkChangesToDeployments, refreshDeploymentFlags } from './link-changes-to-deployments.ts';
import { upsertDeploymentChanges } from './upsert-deployment-changes.ts';
import { upsertDeployments } from './upsert-deployments.ts';
import { upsertIncidents } from './upsert-incidents.ts';
import {
  upsertPullRequestCommits,
  upsertPullRequestReviews,
  upsertPullRequests,
} from './upsert-pull-requests.ts';
import { upsertRepositories } from './upsert-repositories.ts';

const day = (d: number, h = 12) => new Date(Date.UTC(2025, 0, d, h)).toISOString();

describe('upserts and linking', () => {
  let t: TestDatabase;
  let repoId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    const repos = await upsertRepositories(t.db, [
      { external_id: '1', full_name: 'acme/api', default_branch: 'main' },
    ]);
    repoId = repos.get('acme/api')!;
  });
  afterAll(() => t.destroy());

  const pr = (n: number, mergedDay: number | null, extra: Record<string, unknown> = {}) => ({
    repository_id: repoId,
    external_id: `pr-${n}`,
    number: n,
    title: `Change ${n}`,
    author_login: 'ada',
    state: mergedDay === null ? ('open' as const) : ('merged' as const),
    base_branch: 'main',
    created_at: day(1),
    merged_at: mergedDay === null ? null : day(mergedDay),
    source_updated_at: day(20),
    ...extra,
  });

  it('upserts PRs idempotently and derives first commit and first review', async () => {
    const ids = await upsertPullRequests(t.db, [pr(1, 3), pr(2, 5), pr(3, null)]);
    const again = await upsertPullRequests(t.db, [pr(1, 3), pr(2, 5), pr(3, null)]);
    expect(again).toEqual(ids);
    const id1 = ids.get('pr-1')!;
    await upsertPullRequestCommits(t.db, [
      {
        pull_request_id: id1,
        sha: 'b',
        authored_at: day(1, 9),
        author_login: 'ada',
        author_email: null,
        committed_at: null,
      },
      {
        pull_request_id: id1,
        sha: 'a',
        authored_at: day(1, 8),
        author_login: 'ada',
        author_email: null,
        committed_at: null,
      },
    ]);
    await upsertPullRequestReviews(t.db, [
      {
        pull_request_id: id1,
        external_id: 'r1',
        reviewer_login: 'ADA',
        state: 'COMMENTED',
        submitted_at: day(1, 13),
      },
      {
        pull_request_id: id1,
        external_id: 'r2',
        reviewer_login: 'ci[bot]',
        reviewer_is_bot: true,
        state: 'APPROVED',
        submitted_at: day(1, 14),
      },
      {
        pull_request_id: id1,
        external_id: 'r3',
        reviewer_login: 'linus',
        state: 'APPROVED',
        submitted_at: day(2, 10),
      },
    ]);
    const row = await t.db
      .selectFrom('pull_requests')
      .selectAll()
      .where('id', '=', id1)
      .executeTakeFirstOrThrow();
    expect(row.first_commit_at?.toISOString()).toBe(day(1, 8));
    expect(row.first_review_at?.toISOString()).toBe(day(2, 10)); // own comment and bot excluded
    // A list-shaped re-sync (no commits known) keeps the derived fields.
    await upsertPullRequests(t.db, [pr(1, 3)]);
    const kept = await t.db
      .selectFrom('pull_requests')
      .select(['first_commit_at', 'first_review_at'])
      .where('id', '=', id1)
      .executeTakeFirstOrThrow();
    expect(kept.first_commit_at?.toISOString()).toBe(day(1, 8));
    expect(
      await t.db
        .selectFrom('pull_requests')
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirst(),
    ).toEqual({ n: '3' });
  });

  it('links merged changes by time to the first production deployment at or after the merge', async () => {
    const deployments = await upsertDeployments(t.db, [
      {
        repository_id: repoId,
        source: 'webhook',
        external_id: 'd-staging',
        environment: 'staging',
        is_production: false,
        status: 'success',
        created_at: day(4),
        deployed_at: day(4),
      },
      {
        repository_id: repoId,
        source: 'webhook',
        external_id: 'd-4',
        environment: 'production',
        is_production: true,
        status: 'success',
        created_at: day(4),
        deployed_at: day(4, 15),
      },
      {
        repository_id: repoId,
        source: 'webhook',
        external_id: 'd-6',
        environment: 'production',
        is_production: true,
        status: 'success',
        created_at: day(6),
        deployed_at: day(6),
      },
    ]);
    expect(await linkChangesToDeployments(t.db)).toBe(2);
    expect(await linkChangesToDeployments(t.db)).toBe(0);
    const links = await t.db
      .selectFrom('deployment_changes')
      .selectAll()
      .orderBy('pull_request_id')
      .execute();
    expect(links.map((l) => [l.deployment_id, l.attribution])).toEqual([
      [deployments.get('d-4'), 'time'],
      [deployments.get('d-6'), 'time'],
    ]);
    // An exact link replaces a time link.
    await upsertDeploymentChanges(t.db, [
      {
        pullRequestId: links[0]!.pull_request_id,
        deploymentId: deployments.get('d-6')!,
        attribution: 'commit',
      },
    ]);
    const exact = await t.db
      .selectFrom('deployment_changes')
      .selectAll()
      .where('pull_request_id', '=', links[0]!.pull_request_id)
      .executeTakeFirstOrThrow();
    expect([exact.deployment_id, exact.attribution]).toEqual([deployments.get('d-6'), 'commit']);
  });

  it('refreshes deployment flags where they change, and writes nothing when none does', async () => {
    const versions = () =>
      t.db
        .selectFrom('deployments')
        .select(['external_id', sql<string>`xmin::text`.as('version'), 'is_unplanned'])
        .orderBy('external_id')
        .execute();
    await refreshDeploymentFlags(t.db);
    const before = await versions();
    expect(await refreshDeploymentFlags(t.db)).toBe(0);
    // Same row versions: an unchanged flag is not rewritten (every deployment was, before).
    expect(await versions()).toEqual(before);
    // A change becomes unplanned: exactly its deployment's flag moves.
    await upsertPullRequests(t.db, [pr(2, 5, { is_unplanned: true, source_updated_at: day(21) })]);
    expect(await refreshDeploymentFlags(t.db)).toBe(1);
    const after = await versions();
    expect(after.filter((d) => d.is_unplanned).map((d) => d.external_id)).toEqual(['d-6']);
    expect(
      after.filter((d) => d.version !== before.find((b) => b.external_id === d.external_id)!.version),
    ).toHaveLength(1);
  });

  it('attributes incidents to the named deployment or the last one within the window', async () => {
    await upsertIncidents(t.db, [
      { source: 'webhook', external_id: 'i-window', repository_id: repoId, started_at: day(7) },
      {
        source: 'webhook',
        external_id: 'i-named',
        repository_id: repoId,
        started_at: day(7),
        deployment_ref: 'd-4',
      },
      { source: 'webhook', external_id: 'i-late', repository_id: repoId, started_at: day(20) },
    ]);
    expect(await attributeIncidentsToDeployments(t.db, 7)).toBe(2);
    const rows = await t.db
      .selectFrom('incidents as i')
      .leftJoin('deployments as d', 'd.id', 'i.caused_by_deployment_id')
      .select(['i.external_id', 'd.external_id as cause'])
      .orderBy('i.external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'i-late', cause: null },
      { external_id: 'i-named', cause: 'd-4' },
      { external_id: 'i-window', cause: 'd-6' },
    ]);
  });

  it("attributes a team's incident without repository to the last deployment of any of its repositories", async () => {
    const team = await t.db
      .insertInto('teams')
      .values({ slug: 'payments', name: 'Payments' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const repos = await upsertRepositories(t.db, [
      { external_id: '2', full_name: 'acme/ledger', default_branch: 'main' },
      { external_id: '3', full_name: 'acme/cards', default_branch: 'main' },
      { external_id: '4', full_name: 'acme/other-team', default_branch: 'main' },
    ]);
    await t.db
      .insertInto('team_repositories')
      .values(
        ['acme/ledger', 'acme/cards'].map((name) => ({ team_id: team.id, repository_id: repos.get(name)! })),
      )
      .execute();
    const deploy = (name: string, id: string, at: string) => ({
      repository_id: repos.get(name)!,
      source: 'webhook' as const,
      external_id: id,
      environment: 'production',
      is_production: true,
      status: 'success' as const,
      created_at: at,
      deployed_at: at,
    });
    await upsertDeployments(t.db, [
      deploy('acme/ledger', 'ledger-10', day(10, 9)),
      deploy('acme/cards', 'cards-10', day(10, 11)),
      // Later, but another team's repository.
      deploy('acme/other-team', 'other-10', day(10, 13)),
      // After the incident started: not its cause.
      deploy('acme/ledger', 'ledger-11', day(11, 9)),
    ]);
    await upsertIncidents(t.db, [
      { source: 'webhook', external_id: 'i-team', team_id: team.id, started_at: day(10, 18) },
    ]);
    await attributeIncidentsToDeployments(t.db, 7);
    const row = await t.db
      .selectFrom('incidents as i')
      .innerJoin('deployments as d', 'd.id', 'i.caused_by_deployment_id')
      .select('d.external_id')
      .where('i.external_id', '=', 'i-team')
      .executeTakeFirstOrThrow();
    expect(row.external_id).toBe('cards-10');
  });
});
