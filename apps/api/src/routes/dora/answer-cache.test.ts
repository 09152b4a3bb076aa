import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createDb, refreshRollups, upsertDeployments, upsertIncidents } from '@stride/db';
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

async function waitFor(predicate: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('DORA answer cache', () => {
  let t: TestDatabase;
  let cached: FastifyInstance;
  let uncached: FastifyInstance;
  let lenient: FastifyInstance;
  const build = async (entries: string, maxStaleMs = '0') =>
    buildApp({
      db: t.db,
      config: loadApiConfig({
        RATE_LIMIT_PER_MINUTE: '100000',
        STRIDE_VIEWER_TOKEN: VIEWER,
        ANSWER_CACHE_ENTRIES: entries,
        ANSWER_MAX_STALE_MS: maxStaleMs,
      }),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    cached = await build('200');
    uncached = await build('0');
    lenient = await build('200', '10000');
  });
  afterAll(async () => {
    await cached?.close();
    await uncached?.close();
    await lenient?.close();
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

  // A collector writing while many clients read: each write changes the version. Requests that
  // arrive while a computation runs share one queued computation (it starts after all of them
  // asked, so it holds every write committed before any of them), instead of one each.
  describe('while writes commit during a computation', () => {
    const query = 'from=2025-03-01&to=2025-06-01&granularity=week';
    const url = `/api/org/dora?${query}`;
    let repositoryId: string;
    let n = 0;
    beforeAll(async () => {
      const r = await sql<{
        id: string;
      }>`select id::text as id from repositories order by id limit 1`.execute(t.db);
      repositoryId = r.rows[0]!.id;
    });
    /** Commits one production deployment inside the period: the org's count grows by one. */
    const deploy = async () => {
      n += 1;
      const at = new Date(Date.UTC(2025, 4, 20, 12, 0, n));
      await upsertDeployments(t.db, [
        {
          repository_id: repositoryId,
          source: 'webhook',
          external_id: `answer-cache-burst-${n}`,
          environment: 'production',
          is_production: true,
          status: 'success',
          created_at: at,
          deployed_at: at,
          source_updated_at: at,
        },
      ]);
    };
    /**
     * Holds the computations: a transaction on its own connection locks the rollups they read
     * until `release()`. `blocked()` counts the statements waiting for a lock.
     */
    const holdRollups = async () => {
      const lock = createDb(t.url, 2);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const blocked = async () =>
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`.execute(lock)
          ).rows[0]!.n,
        );
      const holding = lock.transaction().execute(async (trx) => {
        await sql`lock table dora_day_rollups in access exclusive mode`.execute(trx);
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { blocked, release, holding, lock };
    };
    const count = async (app: FastifyInstance) =>
      JSON.parse(await get(app, url)).metrics.deploymentFrequency.value as number;
    it('computes once running and once queued however many versions arrive, and no answer misses a write before its request', async () => {
      const base = await count(uncached);
      const { blocked, release, holding, lock } = await holdRollups();
      try {
        cached.answerCache!.clear();
        const computed = cached.answerCache!.computed;
        const first = get(cached, url);
        await waitFor(async () => (await blocked()) >= 1);
        const later: Promise<string>[] = [];
        for (let i = 0; i < 4; i++) {
          await deploy();
          later.push(get(cached, url));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        // Every later request has asked (and read its version) before the running one ends.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(cached.answerCache!.computed - computed).toBe(1);
        release();
        await holding;
        expect(JSON.parse(await first).metrics.deploymentFrequency.value).toBeGreaterThanOrEqual(base);
        for (const body of await Promise.all(later)) {
          // Asked during the writes: the queued computation started after the last of them.
          expect(JSON.parse(body).metrics.deploymentFrequency.value).toBe(base + 4);
        }
        // One running when the writes came, one queued for all four requests (not one per version).
        expect(cached.answerCache!.computed - computed).toBe(2);
        await expectSame(query);
      } finally {
        release();
        await lock.destroy();
      }
    }, 60_000);

    it('with ANSWER_MAX_STALE_MS: the previous answer while a refresh runs, the write once it completes', async () => {
      const base = await count(uncached);
      expect(await count(lenient)).toBe(base);
      const { blocked, release, holding, lock } = await holdRollups();
      try {
        await deploy();
        // Nothing runs: the request after the write starts the refresh and waits for it.
        const waiting = count(lenient);
        await waitFor(async () => (await blocked()) >= 1);
        await deploy();
        // A refresh runs for another request: the kept answer (before both writes) at once.
        const stale = lenient.answerCache!.servedStale;
        expect(await count(lenient)).toBe(base);
        expect(lenient.answerCache!.servedStale).toBe(stale + 1);
        release();
        await holding;
        expect(await waiting).toBeGreaterThanOrEqual(base + 1);
        // The refresh queued after the second write completes: its figures from then on.
        await waitFor(async () => (await count(lenient)) === base + 2);
        expect(await count(lenient)).toBe(await count(uncached));
      } finally {
        release();
        await lock.destroy();
      }
      await sql`delete from deployments where external_id like 'answer-cache-burst-%'`.execute(t.db);
      await refreshRollups(t.db);
      await expectSame(query);
    }, 60_000);

    it('answers every request with the writes committed before it, under concurrent load', async () => {
      let reading = true;
      const readers = Array.from({ length: 8 }, async () => {
        while (reading) await get(cached, url);
      });
      try {
        for (let i = 0; i < 6; i++) {
          await deploy();
          // A request after the commit sees it, whatever is running or queued for the others.
          expect(await count(cached)).toBe(await count(uncached));
          await refreshRollups(t.db);
          expect(await count(cached)).toBe(await count(uncached));
        }
      } finally {
        reading = false;
        await Promise.all(readers);
      }
      await sql`delete from deployments where external_id like 'answer-cache-burst-%'`.execute(t.db);
      await refreshRollups(t.db);
      await expectSame(query);
    }, 60_000);

    it('keeps one answer per query, whatever the number of versions it was computed under', async () => {
      cached.answerCache!.clear();
      for (let i = 0; i < 4; i++) {
        await deploy();
        await get(cached, url);
      }
      expect(cached.answerCache!.size).toBe(1);
      await sql`delete from deployments where external_id like 'answer-cache-burst-%'`.execute(t.db);
      await refreshRollups(t.db);
      await expectSame(query);
    });
  });

  it('names teams as they are now: a renamed team changes the all-teams answer', async () => {
    const query = 'from=2025-03-01&to=2025-06-01&granularity=month';
    const team = org.teams[1]!;
    await expectSame(query);
    await sql`update teams set name = ${`${team.name} (renamed)`} where slug = ${team.slug}`.execute(t.db);
    try {
      const body = JSON.parse(await get(cached, `/api/teams/dora?${query}`));
      expect(body.teams.map((x: { scope: { name: string } }) => x.scope.name)).toContain(
        `${team.name} (renamed)`,
      );
      await expectSame(query);
    } finally {
      await sql`update teams set name = ${team.name} where slug = ${team.slug}`.execute(t.db);
    }
    await expectSame(query);
  });

  it('serialises an answer once for every request sharing it', async () => {
    const cache = new AnswerCache(t.db, { version: async () => 'v', max: 10, maxBytes: 1e6 });
    let serialised = 0;
    const serialize = (value: { n: number }) => {
      serialised += 1;
      return JSON.stringify(value);
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => cache.get('k', async () => ({ n: 1 }))),
    );
    expect(answers.map((a) => a.body(serialize))).toEqual(Array(5).fill('{"n":1}'));
    expect(serialised).toBe(1);
    expect(cache.computed).toBe(1);
    expect(cache.bytes).toBeGreaterThan(0);
  });

  it('never starts a queued computation nobody waits for any more', async () => {
    let version = 1;
    const cache = new AnswerCache(t.db, { version: async () => String(version), max: 10, maxBytes: 1e6 });
    let started = 0;
    let release!: () => void;
    const running = cache.get('k', async () => {
      started += 1;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return started;
    });
    await waitFor(async () => started === 1);
    version = 2;
    const waiter = Object.assign(new EventEmitter(), { writableFinished: false });
    const queued = cache
      .get('k', async () => ++started, { raw: waiter as unknown as ServerResponse })
      .then(
        () => 'answered',
        (error: Error) => error.message,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
    waiter.emit('close');
    release();
    expect((await running).value).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toBe(1);
    expect(await queued).toMatch(/went away/);
  });

  it('cancels a computation nobody waits for any more, and forgets it', async () => {
    const cache = new AnswerCache(t.db, { version: async () => 'v', max: 10, maxBytes: 1e6 });
    const waiter = Object.assign(new EventEmitter(), { writableFinished: false });
    const raw = waiter as unknown as ServerResponse;
    const started = Date.now();
    const answer = cache.get('slow', () => sql`select pg_sleep(30)`.execute(t.db), { raw });
    // Let the statement start, then the client goes away.
    await new Promise((resolve) => setTimeout(resolve, 500));
    waiter.emit('close');
    await expect(answer).rejects.toThrow(/cancel/i);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(cache.size).toBeLessThanOrEqual(1);
    // Forgotten: the next request computes again.
    const again = await cache.get('slow', async () => 'fresh', { raw });
    expect(again.value).toBe('fresh');
  });

  it('keeps computing while another request still waits', async () => {
    const cache = new AnswerCache(t.db, { version: async () => 'v', max: 10, maxBytes: 1e6 });
    const gone = Object.assign(new EventEmitter(), { writableFinished: false });
    const staying = Object.assign(new EventEmitter(), { writableFinished: false });
    const compute = () => sql<{ n: number }>`select 7 as n from pg_sleep(1)`.execute(t.db);
    const first = cache.get('shared', compute, { raw: gone as unknown as ServerResponse });
    const second = cache.get('shared', compute, { raw: staying as unknown as ServerResponse });
    await new Promise((resolve) => setTimeout(resolve, 200));
    gone.emit('close');
    expect((await second).value.rows[0]!.n).toBe(7);
    expect((await first).value.rows[0]!.n).toBe(7);
    expect(cache.size).toBe(1);
  });
});
