import { generateKeyPairSync } from 'node:crypto';
import { recordGitHubRateBudget, takeGitHubRateBudget } from '@stride/db';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import { type FakeGitHubServer, startFakeGitHubServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../config.ts';
import { tokenCredential } from '../sources/github-credentials.ts';
import { createSyncTestContext } from '../testing/sync-test-context.ts';
import { syncGitHub } from './sync-github.ts';

// Several tokens side by side, a GitHub App's installations (JWT → installation access token,
// refreshed before it expires), repositories synced in parallel, and per-credential rate budgets
// shared through PostgreSQL, against the fake GitHub checking credentials as GitHub does.

const OWNER = 'acme-gen';
const REPOS = ['service-1', 'service-2', 'service-3', 'service-4'].map((r) => `${OWNER}/${r}`);
const TOKENS = ['ghp_firstSecretToken00000000000000000001', 'ghp_secondSecretToken0000000000000000002'];
const APP_ID = 4242;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const GITHUB = {
  repositories: REPOS,
  deployments: { source: 'github_deployments', environment: '^production$' },
};

function contextFor(t: TestDatabase, url: string, env: Record<string, string>) {
  const ctx = createSyncTestContext(t.db, url, GITHUB);
  return {
    ...ctx,
    env: loadCollectorConfig({ GITHUB_API_URL: url, LOG_LEVEL: 'silent', ...env }),
  };
}

/** Every form of the secrets a log line or a stored row must not carry. */
const secrets = () => [...TOKENS, PRIVATE_PEM.split('\n')[1]!, 'ghs_'];

async function storedText(t: TestDatabase): Promise<string> {
  const runs = await sql`select * from sync_runs`.execute(t.db);
  const budgets = await sql`select * from github_rate_budgets`.execute(t.db);
  return JSON.stringify([runs.rows, budgets.rows]);
}

describe('GitHub credentials', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  const lifetime = { seconds: 3600 };
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: REPOS.length, pullsPerRepository: 6, seed: 7 },
      auth: {
        tokens: TOKENS,
        app: {
          id: APP_ID,
          publicKey: PUBLIC_PEM,
          installations: [{ id: 11, account: OWNER }],
          get tokenLifetimeSeconds() {
            return lifetime.seconds;
          },
        },
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('uses several tokens side by side: the repositories go to the tokens in turn, each within its own budget', async () => {
    const before = server.requests.length;
    const ctx = contextFor(t, server.url, { GITHUB_TOKENS: TOKENS.join(',') });
    const reports = await syncGitHub(ctx);
    expect(reports.map((r) => r.error)).toEqual(REPOS.map(() => undefined));
    const seen = server.requests.slice(before);
    expect(seen.filter((r) => r.status === 401)).toEqual([]);
    const byToken = (n: number) =>
      new Set(seen.filter((r) => r.credential === `token:${n}`).map((r) => r.path.split('/')[3]));
    expect([...byToken(1)].sort()).toEqual(['service-1', 'service-3']);
    expect([...byToken(2)].sort()).toEqual(['service-2', 'service-4']);
    const logged = JSON.stringify(ctx.logs) + (await storedText(t));
    for (const secret of secrets()) expect(logged).not.toContain(secret);
  });

  it('a GitHub App: a JWT signed with its key creates an installation token, used for its account, once per hour', async () => {
    const before = server.requests.length;
    // The key as an environment variable often carries `\n` escapes.
    const ctx = contextFor(t, server.url, {
      GITHUB_APP_ID: String(APP_ID),
      GITHUB_APP_PRIVATE_KEY: PRIVATE_PEM.replaceAll('\n', '\\n'),
      GITHUB_PARALLEL_REPOSITORIES: '4',
    });
    const reports = await syncGitHub({ ...ctx, backfill: true });
    expect(reports.map((r) => r.error)).toEqual(REPOS.map(() => undefined));
    const seen = server.requests.slice(before);
    expect(seen.filter((r) => r.status === 401)).toEqual([]);
    expect(
      seen.filter((r) => r.path.startsWith('/app')).map((r) => `${r.method} ${r.path} ${r.status}`),
    ).toEqual(['GET /app/installations 200', 'POST /app/installations/11/access_tokens 201']);
    const repoRequests = seen.filter((r) => r.path.startsWith('/repos/'));
    expect(repoRequests.length).toBeGreaterThan(REPOS.length);
    expect(new Set(repoRequests.map((r) => r.credential))).toEqual(new Set(['installation:11']));
    const logged = JSON.stringify(ctx.logs) + (await storedText(t));
    for (const secret of secrets()) expect(logged).not.toContain(secret);
  });

  it('an installation token that expires within five minutes is replaced before it is used', async () => {
    // Tokens of 4 minutes: each is inside the refresh margin as soon as it is created.
    lifetime.seconds = 240;
    const created = server.installationTokensCreated.get(11) ?? 0;
    const before = server.requests.length;
    const ctx = contextFor(t, `${server.url}/`, {
      GITHUB_APP_ID: String(APP_ID),
      GITHUB_APP_PRIVATE_KEY: PRIVATE_PEM,
      GITHUB_APP_INSTALLATION_IDS: '11',
    });
    const reports = await syncGitHub({ ...ctx, backfill: true });
    lifetime.seconds = 3600;
    expect(reports.map((r) => r.error)).toEqual(REPOS.map(() => undefined));
    const seen = server.requests.slice(before);
    expect(seen.filter((r) => r.status === 401)).toEqual([]);
    expect((server.installationTokensCreated.get(11) ?? 0) - created).toBeGreaterThan(1);
  });

  it('syncs GITHUB_PARALLEL_REPOSITORIES repositories at a time (1: one after another)', async () => {
    const interleaved = async (parallel: string) => {
      const before = server.requests.length;
      const ctx = contextFor(t, server.url, {
        GITHUB_TOKEN: TOKENS[0]!,
        GITHUB_PARALLEL_REPOSITORIES: parallel,
      });
      await syncGitHub({ ...ctx, backfill: true });
      const order = server.requests
        .slice(before)
        .filter((r) => r.path.startsWith(`/repos/${OWNER}/`))
        .map((r) => r.path.split('/')[3]!);
      // Two repositories ran side by side when their first-to-last request spans overlap.
      const spans = [...new Set(order)].map(
        (repo) => [order.indexOf(repo), order.lastIndexOf(repo)] as const,
      );
      return spans.some(([a0, a1], i) =>
        spans.some(([b0, b1], j) => i !== j && a0 < b0 && b0 < a1 && b1 > b0),
      );
    };
    expect(await interleaved('1')).toBe(false);
    expect(await interleaved('4')).toBe(true);
  });
});

describe('per-credential rate budgets shared through PostgreSQL', () => {
  let t: TestDatabase;
  let server: FakeGitHubServer;
  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startFakeGitHubServer({
      fixturesDir: null,
      generated: { owner: OWNER, repositories: 1, pullsPerRepository: 3, seed: 7 },
      auth: { tokens: TOKENS },
    });
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('workers taking from one budget at once never take more than is left', async () => {
    const key = { credential: 'token:test-race', resource: 'core' as const };
    await recordGitHubRateBudget(t.db, key, 5, new Date(Date.now() + 60_000));
    const taken = await Promise.all(Array.from({ length: 20 }, () => takeGitHubRateBudget(t.db, key, 1, 0)));
    expect(taken.filter((x) => x.granted)).toHaveLength(5);
    // An answer of an earlier window changes nothing; a later window replaces the budget.
    await recordGitHubRateBudget(t.db, key, 4000, new Date(Date.now() + 30_000));
    expect((await takeGitHubRateBudget(t.db, key, 1, 0)).granted).toBe(false);
    await recordGitHubRateBudget(t.db, key, 5000, new Date(Date.now() + 3_600_000));
    expect((await takeGitHubRateBudget(t.db, key, 1, 0)).granted).toBe(true);
  });

  it('a budget another process used up holds this process until its reset; off, it does not wait', async () => {
    const credential = tokenCredential(server.url, TOKENS[1]!).id;
    const resetAt = new Date(Date.now() + 2000);
    await recordGitHubRateBudget(t.db, { credential, resource: 'core' }, 0, resetAt);
    const times: number[] = [];
    const started = Date.now();
    const before = server.requests.length;
    const ctx = contextFor(t, server.url, { GITHUB_TOKEN: TOKENS[1]! });
    const reports = await syncGitHub(ctx, { repositories: [`${OWNER}/service-1`] });
    times.push(Date.now());
    expect(reports[0]!.error).toBeUndefined();
    expect(server.requests.length).toBeGreaterThan(before);
    expect(times[0]! - started).toBeGreaterThanOrEqual(1900);
    expect(
      ctx.logs.some(
        (l) => l.msg === 'GitHub rate budget shared by the collectors is used up: waiting for the reset',
      ),
    ).toBe(true);
    expect(JSON.stringify(ctx.logs)).not.toContain(TOKENS[1]!);

    await recordGitHubRateBudget(t.db, { credential, resource: 'core' }, 0, new Date(Date.now() + 60_000));
    const off = contextFor(t, server.url, { GITHUB_TOKEN: TOKENS[1]!, GITHUB_SHARED_RATE_BUDGET: 'off' });
    const t0 = Date.now();
    const again = await syncGitHub(off, { repositories: [`${OWNER}/service-1`] });
    expect(again[0]!.error).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
