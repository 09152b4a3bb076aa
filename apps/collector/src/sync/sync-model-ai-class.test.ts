import { syncTeamsFromConfig } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { collectOrgRows, createOrgModel } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../config.ts';
import { runAllSyncs } from './run-all-syncs.ts';

// The organisation model with AI adoption, served by the fake GitHub through its REST (and
// GraphQL) adapter: commit messages with the tools' trailers, PRs opened by the Copilot coding
// agent. The real collector must classify every PR exactly as the rows adapter (the demo
// database's path) does for the same model.
const model = createOrgModel({
  seed: 31,
  end: new Date('2026-06-01T12:00:00Z'),
  days: 42,
  teams: 3,
  repositories: 3,
  prsPerTeamWeek: 10,
  owner: 'acme-ai',
  aiAdoption: {
    teams: [{ at: 0.1, share: 0.7 }, { at: 0.5, share: 0.5 }, null],
    rampDays: 10,
    agentShare: 0.2,
  },
});
const expected = collectOrgRows(model);
const key = (repository: string, n: number) => `${repository}#${n}`;

async function collect(github: FakeGitHubServer, history: 'rest' | 'graphql') {
  const t = await createTestDatabase();
  const config = parseStrideConfig({
    github: {
      repositories: model.repositories.map((r) => r.fullName),
      deployments: { source: 'github_deployments', environment: '^production$' },
      history,
    },
    teams: model.config,
    sync: { backfillDays: 20_000, intervalMinutes: 15 },
  });
  await syncTeamsFromConfig(t.db, config.teams);
  const reports = await runAllSyncs({
    db: t.db,
    config,
    env: loadCollectorConfig({ GITHUB_API_URL: github.url, GITHUB_TOKEN: 'test-token', LOG_LEVEL: 'silent' }),
    logger: pino({ level: 'silent' }),
    waitUnitMs: 20,
  });
  expect(reports.filter((r) => r.error || r.incomplete)).toEqual([]);
  const rows = await t.db
    .selectFrom('pull_requests')
    .innerJoin('repositories', 'repositories.id', 'pull_requests.repository_id')
    .select(['full_name', 'number', 'author_login', 'author_is_bot', 'ai_class', 'ai_evidence'])
    .execute();
  return { t, rows };
}

describe('AI adoption of the model, collected from the fake GitHub', () => {
  let github: FakeGitHubServer;
  const dbs: TestDatabase[] = [];
  beforeAll(async () => {
    github = await startFakeGitHubServer({ fixturesDir: null, model });
  });
  afterAll(async () => {
    await github?.close();
    for (const t of dbs) await t.destroy();
  });

  it('serves the tools’ commit trailers and the agent’s PRs in GitHub’s shapes', () => {
    const repo = github.repos.get(model.repositories[0]!.fullName)!;
    const messages = Object.values(repo.pullCommits).flatMap((list) =>
      list.map((c) => String(c.commit.message)),
    );
    expect(messages.some((m) => m.includes('Co-Authored-By: Claude <noreply@anthropic.com>'))).toBe(true);
    const agentPulls = [...github.repos.values()].flatMap((r) =>
      r.pulls.filter((p) => p.user.login === 'Copilot'),
    );
    expect(agentPulls.length).toBeGreaterThan(0);
    expect(agentPulls.every((p) => p.user.type === 'Bot')).toBe(true);
  });

  for (const history of ['rest', 'graphql'] as const)
    it(`classifies every PR as the rows adapter does (${history})`, { timeout: 300_000 }, async () => {
      const { t, rows } = await collect(github, history);
      dbs.push(t);
      const want = new Map(
        expected.pullRequests.map((p) => [
          key(p.repository, p.number),
          {
            author_login: p.author_login,
            author_is_bot: p.author_is_bot,
            ai_class: p.ai_class ?? null,
            evidence: JSON.parse(String(p.ai_evidence ?? '[]')),
          },
        ]),
      );
      expect(rows.length).toBe(want.size);
      const got = new Map(
        rows.map((r) => [
          key(r.full_name, r.number),
          {
            author_login: r.author_login,
            author_is_bot: r.author_is_bot,
            ai_class: r.ai_class,
            evidence: r.ai_evidence,
          },
        ]),
      );
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      // Not a comparison of empty columns: every class and several tools are there.
      const classes = rows.map((r) => r.ai_class);
      for (const c of ['agent', 'assisted', 'none']) expect(classes).toContain(c);
      const tools = new Set(rows.flatMap((r) => (r.ai_evidence as { tool: string }[]).map((e) => e.tool)));
      expect(tools.size).toBeGreaterThanOrEqual(3);
    });
});
