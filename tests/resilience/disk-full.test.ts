import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { createApiToken, createDb, type Db } from '@stride/db';
import { LINK_QUEUE, type LinkJobs, startLinkJobs } from '@stride/ingest';
import { parseStrideConfig } from '@stride/shared/config';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A full disk at runtime, for real: the test database's tables (and any table it creates) live in
// a tablespace on a 2 MiB tmpfs, which a filler table then fills until PostgreSQL itself answers
// SQLSTATE 53100 ("could not extend file …: No space left on device"). Root only (mount).
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const TABLESPACE = `stride_full_${process.pid}`;

describe.skipIf(!isRoot)('a full disk at runtime', () => {
  let t: TestDatabase;
  let appDb: Db;
  let app: FastifyInstance;
  let dir: string;
  let token: string;
  const deployment = (eventId: string) => ({
    eventId,
    repository: 'acme/api',
    environment: 'production',
    status: 'success',
    finishedAt: '2026-03-01T10:00:00Z',
  });
  const post = (eventId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/webhooks/deployments',
      headers: { authorization: `Bearer ${token}` },
      payload: deployment(eventId),
    });
  const health = () => app.inject({ method: 'GET', url: '/api/health' });

  beforeAll(async () => {
    t = await createTestDatabase();
    token = (await createApiToken(t.db, { name: 'ci', role: 'webhook', scope: 'ci' })).token;
    dir = mkdtempSync(join(tmpdir(), 'stride-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir]);
    execFileSync('chown', ['postgres:postgres', dir]);
    await sql.raw(`create tablespace ${TABLESPACE} location '${dir}'`).execute(t.db);
    const database = new URL(t.url).pathname.slice(1);
    await sql.raw(`alter table all in tablespace pg_default set tablespace ${TABLESPACE}`).execute(t.db);
    await sql.raw(`alter index all in tablespace pg_default set tablespace ${TABLESPACE}`).execute(t.db);
    await sql.raw(`alter database "${database}" set default_tablespace = ${TABLESPACE}`).execute(t.db);
    // The API's own connections start after the move, so what they create lands there too.
    appDb = createDb(t.url, 4);
    app = await buildApp({
      db: appDb,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await appDb?.destroy();
    await t?.destroy();
    const admin = await createTestDatabase();
    await sql.raw(`drop tablespace if exists ${TABLESPACE}`).execute(admin.db);
    await admin.destroy();
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('health says writes fail, webhooks answer 503 with Retry-After, and writes resume once space is freed', async () => {
    expect((await health()).json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });

    await sql.raw(`create table stride_filler (b text) tablespace ${TABLESPACE}`).execute(t.db);
    const fill = sql`insert into stride_filler select md5(random()::text) from generate_series(1, 400000)`;
    await expect(fill.execute(t.db)).rejects.toMatchObject({ code: '53100' });

    const refused = await post('during');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json().error.code).toBe('storage_full');
    const down = await health();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'degraded', database: 'up', writes: 'failing' });
    // Reads still work, and the refused delivery left nothing behind (a resend is not a duplicate).
    expect(await t.db.selectFrom('webhook_deliveries').select('delivery_id').execute()).toEqual([]);

    await sql`drop table stride_filler`.execute(t.db);
    expect((await health()).json()).toEqual({ status: 'ok', database: 'up', writes: 'ok' });
    const resent = await post('during');
    expect(resent.statusCode).toBe(202);
    expect(resent.json().status).toBe('accepted');
  });
});

// The disk fills between a webhook's rows and its link job (the job is the last write of the
// delivery): PostgreSQL's own 53100, raised by a trigger on pg-boss's job table so that exactly
// that write fails. The delivery must not be recorded without its linking: the sender's retry
// after the 503 applies the event again (before, it read as a duplicate and was never linked).
describe('a full disk at the last write of a webhook delivery (its link job)', () => {
  const SECRET = 'webhook-secret-for-disk-full';
  const fixtures = new URL('../fixtures/recorded/', import.meta.url);
  const load = (name: string) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
  const ANTS = 'panjf2000/ants';
  let t: TestDatabase;
  let app: FastifyInstance;
  let linkJobs: LinkJobs;
  let token: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    token = (await createApiToken(t.db, { name: 'ci', role: 'webhook', scope: 'ci' })).token;
    linkJobs = await startLinkJobs({ databaseUrl: t.url, db: t.db, work: false });
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({ GITHUB_WEBHOOK_SECRET: SECRET }),
      strideConfig: parseStrideConfig({
        github: { repositories: [ANTS], repositoryRules: { [ANTS]: { source: 'webhook' } } },
      }),
      logger: false,
      linkJobs,
    });
  });
  afterAll(async () => {
    await app?.close();
    await linkJobs?.stop();
    await t?.destroy();
  });

  const linkJobCount = async () =>
    Number(
      (
        await sql<{
          n: string;
        }>`select count(*)::text as n from pgboss.job where name = ${LINK_QUEUE}`.execute(t.db)
      ).rows[0]!.n,
    );
  const fillDisk = () =>
    sql
      .raw(`create function stride_disk_full() returns trigger language plpgsql as $$
        begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$;
        create trigger stride_disk_full before insert on pgboss.job for each row execute function stride_disk_full();`)
      .execute(t.db);
  const freeDisk = () =>
    sql.raw('drop trigger stride_disk_full on pgboss.job; drop function stride_disk_full()').execute(t.db);
  const merged = (load('github_pulls.json')[ANTS] as { merged_at: string | null }[]).find(
    (p) => p.merged_at,
  )!;
  const githubBody = JSON.stringify({
    action: 'closed',
    pull_request: merged,
    repository: load('github_repos.json')[ANTS],
  });
  const githubDelivery = randomUUID();
  const deliveries: [string, () => Promise<LightMyRequestResponse>][] = [
    [
      'deployments',
      () =>
        app.inject({
          method: 'POST',
          url: '/api/webhooks/deployments',
          headers: { authorization: `Bearer ${token}` },
          payload: {
            eventId: 'deploy-1',
            repository: 'acme/api',
            environment: 'production',
            status: 'success',
            finishedAt: '2026-03-01T10:00:00Z',
          },
        }),
    ],
    [
      'incidents',
      () =>
        app.inject({
          method: 'POST',
          url: '/api/webhooks/incidents',
          headers: { authorization: `Bearer ${token}` },
          payload: { eventId: 'incident-1', title: 'api down', startedAt: '2026-03-01T11:00:00Z' },
        }),
    ],
    [
      'github',
      () =>
        app.inject({
          method: 'POST',
          url: '/api/webhooks/github',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'pull_request',
            'x-github-delivery': githubDelivery,
            'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(githubBody).digest('hex')}`,
          },
          payload: githubBody,
        }),
    ],
  ];

  it.each(deliveries)(
    '%s: 503 with Retry-After and nothing recorded; the retry is applied and linked',
    async (_kind, send) => {
      const jobsBefore = await linkJobCount();
      await fillDisk();
      try {
        const refused = await send();
        expect(refused.statusCode).toBe(503);
        expect(refused.headers['retry-after']).toBe('60');
        expect(refused.json().error.code).toBe('storage_full');
        expect(await t.db.selectFrom('webhook_deliveries').select('delivery_id').execute()).toEqual([]);
      } finally {
        await freeDisk();
      }
      const retried = await send();
      expect(retried.statusCode).toBe(202);
      expect(retried.json().status).toBe('accepted');
      expect(await linkJobCount()).toBe(jobsBefore + 1);
      await t.db.deleteFrom('webhook_deliveries').execute();
    },
  );
});
