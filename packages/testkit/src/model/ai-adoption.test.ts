import { percentileCont } from '@stride/metrics';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { collectOrgRows } from '../adapters/model-rows.ts';
import { createTestDatabase } from '../database/test-database.ts';
import { ensureDemoOrg } from '../demo/ensure-demo-org.ts';
import { demoModelOptions, generateDemoOrg } from '../presets/size-presets.ts';
import { createOrgModel } from './org-model.ts';

// AI adoption is an option of the one organisation model (the demo's options turn it on); the
// rows adapter classifies the commit messages the model holds with @stride/ingest's detector.
const end = new Date(Date.UTC(2026, 10, 1));
const years = 1;
const start = new Date(end.getTime() - 365 * 86_400_000);
const org = generateDemoOrg({ seed: 42, end, teams: 4, years });
const withAi = org;

const teamOfPr = new Map(
  org.pullRequests.map((pr) => {
    const day = pr.merged_at ? new Date(pr.merged_at).toISOString().slice(0, 10) : '';
    const team = org.teams.find((t) =>
      t.members.some(
        (m) => m.github === pr.author_login && (!m.from || m.from <= day) && (!m.to || day <= m.to),
      ),
    );
    return [pr.external_id, team?.slug];
  }),
);
const merged = (slug: string, from: Date, to: Date) =>
  withAi.pullRequests.filter(
    (pr) =>
      teamOfPr.get(pr.external_id) === slug &&
      pr.merged_at &&
      new Date(pr.merged_at) >= from &&
      new Date(pr.merged_at) < to,
  );
const aiShare = (list: typeof withAi.pullRequests) =>
  list.filter((p) => p.ai_class === 'agent' || p.ai_class === 'assisted').length / Math.max(1, list.length);

describe('AI adoption of the organisation model', () => {
  it('starts at different times in different teams, ramps up, and one team never adopts', () => {
    const [first, second, never] = org.teams.map((t) => t.slug);
    const at = (f: number) => new Date(start.getTime() + f * 365 * 86_400_000);
    expect(aiShare(merged(first!, start, at(0.29)))).toBe(0);
    expect(aiShare(merged(first!, at(0.6), end))).toBeGreaterThan(0.4);
    expect(aiShare(merged(second!, start, at(0.54)))).toBe(0);
    expect(aiShare(merged(second!, at(0.8), end))).toBeGreaterThan(0.25);
    expect(aiShare(merged(never!, start, end))).toBe(0);
  });

  it('classifies every merged PR with the real detector from the trailers it writes', () => {
    // Merged PRs of people and of the Copilot coding agent (dependency bots aside).
    const mergedPrs = withAi.pullRequests.filter(
      (p) => p.merged_at && (!p.author_is_bot || p.author_login === 'Copilot'),
    );
    // Every merged PR with commits gets a class; one without any stays unclassified, as collected.
    const withCommits = new Set(withAi.commits.map((c) => c.pullRequest));
    for (const p of mergedPrs) {
      if (withCommits.has(p.external_id)) expect(p.ai_class).not.toBeNull();
      else expect([null, 'agent']).toContain(p.ai_class); // an agent's PR is known by its author alone
    }
    expect(new Set(mergedPrs.map((p) => p.ai_class))).toEqual(
      new Set(['none', 'assisted', 'agent', ...(mergedPrs.some((p) => p.ai_class === null) ? [null] : [])]),
    );
    const tools = new Set(
      mergedPrs.flatMap((p) =>
        (JSON.parse(p.ai_evidence as string) as { tool: string }[]).map((e) => e.tool),
      ),
    );
    expect(tools).toEqual(
      new Set(['Claude Code', 'GitHub Copilot', 'Cursor', 'aider', 'GitHub Copilot coding agent']),
    );
    // Open PRs are classified from the PR alone, as the collector does (no commits read): unknown.
    expect(withAi.pullRequests.filter((p) => !p.merged_at).every((p) => p.ai_class === null)).toBe(true);
  });

  it('gives AI-assisted PRs shorter coding time and larger size than the same team’s others', () => {
    const slug = org.teams[0]!.slug;
    const list = merged(slug, start, end);
    const firstCommit = new Map<string, number>();
    for (const c of withAi.commits) {
      const t = new Date(c.authored_at).getTime();
      firstCommit.set(c.pullRequest, Math.min(firstCommit.get(c.pullRequest) ?? t, t));
    }
    const coding = (ps: typeof list) =>
      percentileCont(
        ps
          .filter((p) => firstCommit.has(p.external_id))
          .map((p) => new Date(p.created_at).getTime() - firstCommit.get(p.external_id)!),
        0.5,
      )!;
    const size = (ps: typeof list) =>
      percentileCont(
        ps.map((p) => (p.additions ?? 0) + (p.deletions ?? 0)),
        0.5,
      )!;
    const ai = list.filter((p) => p.ai_class === 'assisted');
    const other = list.filter((p) => p.ai_class === 'none');
    expect(coding(ai)).toBeLessThan(coding(other) * 0.8);
    expect(size(ai)).toBeGreaterThan(size(other));
  });

  it('is deterministic and leaves the PRs it does not make AI-assisted as the model generates them', () => {
    expect(generateDemoOrg({ seed: 42, end, teams: 4, years })).toEqual(org);
    const plain = collectOrgRows(
      createOrgModel({ ...demoModelOptions({ seed: 42, end, teams: 4, years }), aiAdoption: undefined }),
    );
    expect(plain.pullRequests.length).toBe(org.pullRequests.length);
    expect(plain.pullRequests.some((p) => p.ai_class === 'assisted' || p.ai_class === 'agent')).toBe(false);
    const none = new Set(
      org.pullRequests
        .filter((p) => p.ai_class !== 'assisted' && p.ai_class !== 'agent')
        .map((p) => p.external_id),
    );
    const strip = ({ ai_class, ai_evidence, ...rest }: (typeof org.pullRequests)[number]) => rest;
    expect(org.pullRequests.filter((p) => none.has(p.external_id)).map(strip)).toEqual(
      plain.pullRequests.filter((p) => none.has(p.external_id)).map(strip),
    );
    expect(org.commits.filter((c) => none.has(c.pullRequest))).toEqual(
      plain.commits.filter((c) => none.has(c.pullRequest)),
    );
  });
});

describe('AI adoption in the loaded demo', () => {
  it('the streamed demo (ensureDemoOrg) stores agent, assisted and none PRs, teams adopting at different times', async () => {
    const database = await createTestDatabase();
    try {
      const result = await ensureDemoOrg(database.db, { seed: 5, end, teams: 4, repositories: 8, years: 1 });
      const { rows } = await sql<{ ai_class: string | null; n: number }>`
        select ai_class, count(*)::int as n from pull_requests where merged_at is not null group by ai_class`.execute(
        database.db,
      );
      const byClass = Object.fromEntries(rows.map((r) => [r.ai_class ?? 'unclassified', r.n]));
      expect(byClass.agent).toBeGreaterThan(0);
      expect(byClass.assisted).toBeGreaterThan(0);
      expect(byClass.none).toBeGreaterThan(byClass.assisted!);
      const firstAi = await sql<{ slug: string; first: Date | null }>`
        select t.slug, min(pr.merged_at) filter (where pr.ai_class = 'assisted') as first
        from teams t join team_memberships tm on tm.team_id = t.id
        left join pull_requests pr on lower(pr.author_login) = lower(tm.github_login)
        group by t.slug order by t.slug`.execute(database.db);
      const firsts = firstAi.rows
        .filter((r) => r.first !== null)
        .map((r) => r.first!.toISOString().slice(0, 7));
      expect(new Set(firsts).size).toBeGreaterThan(1);
      expect(firstAi.rows.length - firsts.length).toBeGreaterThan(0); // a team that never adopts
      expect(result.loaded).toBe(true);
    } finally {
      await database.destroy();
    }
  });
});
