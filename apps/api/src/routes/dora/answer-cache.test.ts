import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { refreshRollups, upsertIncidents } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';
import { AnswerCache } from '../../lib/answer-cache.ts';

// DORA answers are kept under the data's version: a kept answer must be exactly what the same
// request computes without the cache, before and after writes and rollup refreshes.
const VIEWER = 'viewer-token-answer-cache-01';
const end = new Date(Date.UTC(2025, 5, 1));
const DAYS = 120;
const org = generateOrg({ teams: 3, membersPerTeam: 4, reposPerTeam: 2, days: DAYS, end, seed: 31 });
const headers = { authorization: `Bearer ${VIEWER}` };

describe('DORA answer cache', () => {
  let t: TestDatabase;
  let cached: FastifyInstance;
  let uncached: FastifyInstance;
  const build = async (entries: string) =>
    buildApp({
      db: t.db,
      config: loadApiConfig({
        RATE_LIMIT_PER_MINUTE: '100000',
        STRIDE_VIEWER_TOKEN: VIEWER,
        ANSWER_CACHE_ENTRIES: entries,
      }),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    cached = await build('200');
    uncached = await build('0');
  });
  afterAll(async () => {
    await cached?.close();
    await uncached?.close();
    await t?.destroy();
  });

  const urls = (query: string) => [
    `/api/org/dora?${query}`,
    `/api/teams/dora?${query}`,
    `/api/teams/${org.teams[0]!.slug}/dora?${query}`,
    `/api/org/dora.csv?${query}`,
  ];
  const get = async (app: FastifyInstance, url: string) => {
    const res = await app.inject({ url, headers });
    expect(res.statusCode, url).toBe(200);
    return res.body;
  };
  const expectSame = async (query: string) => {
    for (const url of urls(query)) expect(await get(cached, url), url).toBe(await get(uncached, url));
  };

  it('is off with ANSWER_CACHE_ENTRIES=0 and on by default', () => {
    expect(uncached.answerCache).toBeUndefined();
    expect(cached.answerCache).toBeInstanceOf(AnswerCache);
  });

  it('answers exactly what a fresh computation answers, and computes a repeated request once', async () => {
    const query = fc.record({
      fromDay: fc.integer({ min: 0, max: DAYS - 10 }),
      days: fc.integer({ min: 1, max: 90 }),
      granularity: fc.constantFrom('day', 'week', 'month'),
    });
    await fc.assert(
      fc.asyncProperty(query, async ({ fromDay, days, granularity }) => {
        const from = new Date(end.getTime() - (DAYS - fromDay) * 86_400_000).toISOString().slice(0, 10);
        const to = new Date(Date.parse(from) + days * 86_400_000).toISOString().slice(0, 10);
        const q = `from=${from}&to=${to}&granularity=${granularity}`;
        await expectSame(q);
        const computed = cached.answerCache!.computed;
        await expectSame(q);
        expect(cached.answerCache!.computed).toBe(computed);
      }),
      { seed: 1313, numRuns: 8 },
    );
  });

  it('changes with a committed write, and again after the refresh empties the queue', async () => {
    const query = 'from=2025-03-01&to=2025-06-01&granularity=week';
    // No queue left: the version is the refresh's alone.
    await refreshRollups(t.db);
    await expectSame(query);
    const before = await get(cached, `/api/org/dora?${query}`);

    const d = await sql<{ id: string; repository_id: string; deployed_at: Date }>`
      select id, repository_id, deployed_at from deployments
      where is_production and deployed_at >= '2025-03-10' and deployed_at < '2025-05-20' and not rolled_back
        and not exists (select 1 from incidents i where i.caused_by_deployment_id = deployments.id)
      order by deployed_at desc limit 1`.execute(t.db);
    const dep = d.rows[0]!;
    await upsertIncidents(t.db, [
      {
        source: 'webhook',
        external_id: 'answer-cache-incident',
        title: 'checkout down',
        repository_id: dep.repository_id,
        started_at: new Date(dep.deployed_at.getTime() + 3_600_000),
        resolved_at: new Date(dep.deployed_at.getTime() + 5 * 3_600_000),
        caused_by_deployment_id: dep.id,
      },
    ]);
    const written = await get(cached, `/api/org/dora?${query}`);
    expect(written).not.toBe(before);
    await expectSame(query);

    // The refresh empties the queue: the version must not return to the one before the write
    // (the answer kept then does not hold the incident).
    expect((await refreshRollups(t.db)).mode).toBe('days');
    expect(await get(cached, `/api/org/dora?${query}`)).toBe(written);
    await expectSame(query);

    // A write that changes the figures back, then a refresh: still the fresh figures.
    await sql`delete from incidents where external_id = 'answer-cache-incident'`.execute(t.db);
    await expectSame(query);
    await refreshRollups(t.db);
    expect(await get(cached, `/api/org/dora?${query}`)).toBe(before);
    await expectSame(query);
  });

  it('shares one computation between concurrent requests', async () => {
    const query = 'from=2025-01-01&to=2025-05-01&granularity=month';
    const computed = cached.answerCache!.computed;
    const bodies = await Promise.all(
      Array.from({ length: 10 }, () => get(cached, `/api/teams/dora?${query}`)),
    );
    expect(new Set(bodies).size).toBe(1);
    expect(cached.answerCache!.computed).toBe(computed + 1);
  });

  it('cancels a computation nobody waits for any more, and forgets it', async () => {
    const cache = new AnswerCache(t.db, { max: 10 });
    const waiter = Object.assign(new EventEmitter(), { writableFinished: false });
    const raw = waiter as unknown as ServerResponse;
    const started = Date.now();
    const answer = cache.get('slow', () => sql`select pg_sleep(30)`.execute(t.db), { raw });
    // Let the statement start, then the client goes away.
    await new Promise((resolve) => setTimeout(resolve, 500));
    waiter.emit('close');
    await expect(answer).rejects.toThrow(/cancel/i);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(cache.size).toBe(0);
  });

  it('keeps computing while another request still waits', async () => {
    const cache = new AnswerCache(t.db, { max: 10 });
    const gone = Object.assign(new EventEmitter(), { writableFinished: false });
    const staying = Object.assign(new EventEmitter(), { writableFinished: false });
    const compute = () => sql<{ n: number }>`select 7 as n from pg_sleep(1)`.execute(t.db);
    const first = cache.get('shared', compute, { raw: gone as unknown as ServerResponse });
    const second = cache.get('shared', compute, { raw: staying as unknown as ServerResponse });
    await new Promise((resolve) => setTimeout(resolve, 200));
    gone.emit('close');
    expect((await second).rows[0]!.n).toBe(7);
    expect((await first).rows[0]!.n).toBe(7);
    expect(cache.size).toBe(1);
  });
});
