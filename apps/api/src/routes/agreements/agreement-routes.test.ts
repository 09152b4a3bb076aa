import { syncTeamsFromConfig } from '@stride/db';
import type { TeamAgreements } from '@stride/shared';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// One Berlin team with a holiday on Thursday 26 November 2026; PRs built so each rule is
// broken (or kept) for a reason the comments give.
const strideConfig = parseStrideConfig({
  holidays: ['2026-11-26'],
  teams: [
    {
      slug: 'payments',
      name: 'Payments',
      timezone: 'Europe/Berlin',
      repositories: ['acme/pay'],
      members: [{ github: 'ada' }, { github: 'bob' }],
      agreements: { pickupBusinessHours: 8, maxPrOpenDays: 5, maxWipPerPerson: 2, maxPrSizeLines: 400 },
    },
  ],
});

describe('working agreements route', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await syncTeamsFromConfig(t.db, strideConfig.teams);
    const repo = await t.db
      .updateTable('repositories')
      .set({ default_branch: 'main' })
      .where('full_name', '=', 'acme/pay')
      .returning('id')
      .executeTakeFirstOrThrow();
    const pr = async (
      number: number,
      author: string,
      createdAt: string,
      extra: { merged?: string; additions?: number; review?: [string, string] },
    ) => {
      const row = await t.db
        .insertInto('pull_requests')
        .values({
          repository_id: repo.id,
          external_id: `pr-${number}`,
          number,
          title: `PR ${number}`,
          author_login: author,
          state: extra.merged ? 'merged' : 'open',
          base_branch: 'main',
          created_at: createdAt,
          merged_at: extra.merged ?? null,
          first_review_at: extra.review?.[0] ?? null,
          source_updated_at: createdAt,
          additions: extra.additions ?? 10,
          deletions: 0,
          html_url: `https://github.com/acme/pay/pull/${number}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (extra.review) {
        await t.db
          .insertInto('pull_request_reviews')
          .values({
            pull_request_id: row.id,
            external_id: `rv-${number}`,
            kind: 'review',
            reviewer_login: author === 'ada' ? 'bob' : 'ada',
            state: extra.review[1],
            submitted_at: extra.review[0],
          })
          .execute();
      }
    };
    // Friday 17:00 Berlin → Monday 10:00 Berlin: 7 h + 10 h = 17 business hours (> 8); 500 lines (> 400).
    await pr(1, 'bob', '2026-11-20T16:00:00Z', {
      merged: '2026-11-23T12:00:00Z',
      additions: 500,
      review: ['2026-11-23T09:00:00Z', 'APPROVED'],
    });
    // Wednesday 21:00 → Friday 04:00 Berlin over the holiday: 3 h + 4 h = 7 (without the holiday 31).
    await pr(2, 'bob', '2026-11-25T20:00:00Z', {
      merged: '2026-11-27T10:00:00Z',
      review: ['2026-11-27T03:00:00Z', 'APPROVED'],
    });
    // Ada's three open PRs (limit 2); #3 waits 12 days for any review.
    await pr(3, 'ada', '2026-11-18T10:00:00Z', {});
    await pr(4, 'ada', '2026-11-27T08:00:00Z', { review: ['2026-11-27T09:00:00Z', 'CHANGES_REQUESTED'] });
    await pr(5, 'ada', '2026-11-27T08:30:00Z', { review: ['2026-11-27T09:00:00Z', 'APPROVED'] });
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ RATE_LIMIT_PER_MINUTE: '100000' }),
      strideConfig,
      logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  it('lists the PRs that broke each rule, in business hours of the team timezone', async () => {
    const res = await app.inject({ url: '/api/teams/payments/agreements?from=2026-11-16&to=2026-11-30' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as TeamAgreements;
    const broken = (rule: string) =>
      body.violations
        .filter((v) => v.rule === rule)
        .map((v) => v.number)
        .sort();
    expect(broken('pickup')).toEqual([1, 3]);
    expect(body.violations.find((v) => v.rule === 'pickup' && v.number === 1)!.value).toBeCloseTo(17);
    expect(broken('pr_size')).toEqual([1]);
    expect(broken('open_days')).toEqual([3]);
    expect(broken('wip')).toEqual([3, 4, 5]);
    const byRule = Object.fromEntries(body.rules.map((r) => [r.rule, r]));
    // WIP is checked per person with open PRs (only Ada) and reported as a count, never a name.
    expect(byRule.wip).toMatchObject({ limit: 2, checked: 1, broken: 1 });
    expect(byRule.pickup).toMatchObject({ limit: 8, checked: 5, broken: 2 });
    expect(JSON.stringify(body)).not.toContain('ada');
    const waits = Object.fromEntries(
      body.violations.filter((v) => v.rule === 'wip').map((v) => [v.number, v.waitingOn]),
    );
    expect(waits).toEqual({ 3: 'review', 4: 'author', 5: 'merge' });
    const stuck = body.violations.find((v) => v.rule === 'open_days')!;
    expect(stuck.ageDays).toBeCloseTo(11.6, 1);
  });

  it('answers 404 naming an unknown team', async () => {
    const other = await app.inject({ url: '/api/teams/nope/agreements' });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.message).toContain("'nope'");
  });
});
