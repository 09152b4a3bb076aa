import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../connection.ts';
import { getTeamHealthAggregates } from '../get-team-health-aggregates.ts';
import { isTeamMemberAt } from '../metric-scope.ts';
import { countActiveContributors } from './count-active-contributors.ts';
import { getTeamOutOfHours } from './get-team-out-of-hours.ts';
import { getTeamReviewLoad } from './get-team-review-load.ts';

// Team health at scale (issue 13): the signals are computed from the raw tables per request, so
// each statement must be driven by the (lower(login), time) indexes from the team's few logins,
// never a scan of every PR, commit or review of the organisation. The rewritten statements must
// give exactly what the straightforward ones gave: those are kept below as the reference.

const DAY = 86_400_000;
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 3, membersPerTeam: 5, reposPerTeam: 2, days: 150, end, seed: 11 });

/** The statements before the rewrite (one `or` / `coalesce` scan each), as the reference. */
async function reference(db: Db, teamId: string, from: Date, to: Date, timezone: string) {
  const member = (login: string, at: string) => isTeamMemberAt(teamId, sql.ref(login), sql.ref(at));
  const active = await sql<{ n: number }>`
    select count(distinct login)::int as n from (
      select lower(pr.author_login) as login from pull_requests pr
      where not pr.author_is_bot and pr.author_login is not null
        and ((pr.merged_at >= ${from} and pr.merged_at < ${to} and ${member('pr.author_login', 'pr.merged_at')})
          or (pr.created_at >= ${from} and pr.created_at < ${to} and ${member('pr.author_login', 'pr.created_at')}))
      union all
      select lower(rv.reviewer_login) from pull_request_reviews rv
      where not rv.reviewer_is_bot and rv.reviewer_login is not null
        and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
        and ${member('rv.reviewer_login', 'rv.submitted_at')}
    ) a`.execute(db);
  const reviews = await sql<{ login: string; c: number }>`
    select lower(rv.reviewer_login) as login, count(*)::int as c from pull_request_reviews rv
    where rv.kind = 'review' and not rv.reviewer_is_bot and rv.reviewer_login is not null
      and rv.submitted_at >= ${from} and rv.submitted_at < ${to}
      and ${member('rv.reviewer_login', 'rv.submitted_at')}
    group by lower(rv.reviewer_login)`.execute(db);
  const hours = await sql<{ commits: number; out_of_hours: number }>`
    select count(*)::int as commits,
      count(*) filter (where extract(isodow from local) in (6, 7) or extract(hour from local) < 8
                        or extract(hour from local) >= 19)::int as out_of_hours
    from (
      select distinct on (c.sha) c.authored_at at time zone ${timezone} as local
      from pull_request_commits c
      join pull_requests pr on pr.id = c.pull_request_id
      where c.authored_at >= ${from} and c.authored_at < ${to} and not pr.author_is_bot
        and ${isTeamMemberAt(teamId, sql`coalesce(c.author_login, pr.author_login)`, sql.ref('c.authored_at'))}
    ) x`.execute(db);
  return {
    active: active.rows[0]!.n,
    reviews: reviews.rows.map((r) => r.c).sort((a, b) => b - a),
    hours: { commits: hours.rows[0]!.commits, outOfHours: hours.rows[0]!.out_of_hours },
  };
}

describe('team health statements at scale', () => {
  let t: TestDatabase;
  let teams: { id: string; timezone: string }[];
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    // Cases the generated rows lack: commits without a login (they count for the PR's author),
    // the same commit in two PRs, logins spelt in another case than the membership's.
    await sql`update pull_request_commits set author_login = null
      where (hashtext(sha) & 7) = 0`.execute(t.db);
    await sql`insert into pull_request_commits (pull_request_id, sha, author_login, author_email, authored_at)
      select (select min(p2.id) from pull_requests p2 where p2.id > c.pull_request_id), c.sha, c.author_login,
             c.author_email, c.authored_at
      from pull_request_commits c where (hashtext(c.sha) & 15) = 1
      on conflict do nothing`.execute(t.db);
    await sql`update pull_requests set author_login = upper(author_login) where id % 5 = 0`.execute(t.db);
    await sql`update pull_request_reviews set reviewer_login = upper(reviewer_login) where id % 4 = 0`.execute(
      t.db,
    );
    await sql`update pull_request_commits set author_login = upper(author_login) where (hashtext(sha) & 7) = 2`.execute(
      t.db,
    );
    await sql`analyze`.execute(t.db);
    teams = (
      await sql<{ id: string; timezone: string }>`select id::text, timezone from teams order by id`.execute(
        t.db,
      )
    ).rows;
  });
  afterAll(() => t?.destroy());

  it('gives exactly the figures of the straightforward statements, on random periods and teams', async () => {
    expect(teams.length).toBe(3);
    let compared = 0;
    for (let i = 0; i < 12; i++) {
      const team = teams[i % teams.length]!;
      const fromDay = (i * 37) % 120;
      const from = new Date(end.getTime() - (150 - fromDay) * DAY + ((i * 7919) % 86_400) * 1000);
      const to = new Date(from.getTime() + (7 + ((i * 13) % 140)) * DAY);
      const timezone = i % 2 === 0 ? team.timezone : 'Asia/Kolkata';
      const want = await reference(t.db, team.id, from, to, timezone);
      const period = { teamId: team.id, from, to };
      expect(await countActiveContributors(t.db, period)).toBe(want.active);
      const load = await getTeamReviewLoad(t.db, period);
      expect(load.reviewsPerReviewer.filter((c) => c > 0)).toEqual(want.reviews);
      expect(await getTeamOutOfHours(t.db, { ...period, timezone })).toEqual(want.hours);
      if (want.hours.commits > 0 && want.active > 0) compared++;
    }
    expect(compared).toBeGreaterThan(6);
  });

  it("reads only the team's rows, however large the rest of the organisation", async () => {
    const own = await rowCount(t.db);
    // Another part of the organisation, several times larger than the seeded one: PRs, commits and
    // reviews by people of no team in a repository of no team, in the period asked for.
    const repository = (
      await sql<{ id: string }>`insert into repositories (external_id, full_name, default_branch)
        values ('noise', 'acme/other-department', 'main') returning id::text`.execute(t.db)
    ).rows[0]!;
    await sql`insert into pull_requests (repository_id, external_id, number, title, author_login, author_is_bot, state,
        base_branch, created_at, merged_at, source_updated_at)
      select ${repository.id}::bigint, 'noise-' || g, 100000 + g, 'noise', 'outsider-' || (g % 500), false, 'merged', null,
        ${end}::timestamptz - (g % 100) * interval '1 day' - interval '2 days',
        ${end}::timestamptz - (g % 100) * interval '1 day' - interval '1 day', ${end}::timestamptz
      from generate_series(1, ${NOISE}) g`.execute(t.db);
    await sql`insert into pull_request_commits (pull_request_id, sha, author_login, authored_at)
      select pr.id, 'noise-' || pr.id, pr.author_login, pr.created_at from pull_requests pr
      where pr.external_id like 'noise-%'`.execute(t.db);
    await sql`insert into pull_request_reviews (pull_request_id, external_id, state, kind, reviewer_login, submitted_at)
      select pr.id, 'noise-review-' || pr.id, 'APPROVED', 'review', 'outsider-' || (pr.id % 300), pr.merged_at
      from pull_requests pr where pr.external_id like 'noise-%'`.execute(t.db);
    await sql`analyze`.execute(t.db);
    expect(own).toBeLessThan(NOISE);

    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const logged = createDb(t.url, 2, {
      log: (event) => {
        if (event.level === 'query') statements.push(event.query);
      },
    });
    try {
      const team = teams[0]!;
      await getTeamHealthAggregates(logged, {
        teamId: team.id,
        timezone: team.timezone,
        from: new Date(end.getTime() - 120 * DAY),
        to: end,
        granularity: 'month',
      });
    } finally {
      await logged.destroy();
    }
    expect(statements.length).toBe(8);
    // Rows each statement reads from the three large tables (returned or filtered out, every loop).
    const read: Record<string, number> = {};
    for (const statement of statements) {
      const text = statement.sql.replace(/\$(\d+)/g, (_, n) => literal(statement.parameters[Number(n) - 1]));
      const { rows } = await sql<{
        'QUERY PLAN': [{ Plan: PlanNode }];
      }>`explain (analyze, format json) ${sql.raw(text)}`.execute(t.db);
      read[statement.sql.replace(/\s+/g, ' ').trim().slice(0, 70)] = rowsRead(rows[0]!['QUERY PLAN'][0].Plan);
    }
    for (const [statement, n] of Object.entries(read)) expect(n, statement).toBeLessThan(own);
  });
});

const NOISE = 30_000;
const LARGE_TABLES = new Set(['pull_requests', 'pull_request_commits', 'pull_request_reviews']);

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows a plan read from the large tables: returned plus filtered out, times loops. */
function rowsRead(node: PlanNode): number {
  const own =
    node['Relation Name'] && LARGE_TABLES.has(node['Relation Name'])
      ? (node['Actual Rows'] +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
        node['Actual Loops']
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

async function rowCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select ((select count(*) from pull_requests)
    + (select count(*) from pull_request_commits) + (select count(*) from pull_request_reviews))::int as n`.execute(
    db,
  );
  return rows[0]!.n;
}

/** A statement parameter as an SQL literal (test only: dates, numbers and plain strings). */
function literal(value: unknown): string {
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}
