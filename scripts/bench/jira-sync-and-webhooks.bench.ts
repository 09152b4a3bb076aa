// Jira sync (issues/s through the fake Jira Cloud REST v3 server, at two volumes: the ratio shows
// how it scales) and generic webhook ingestion (deliveries/s through the real HTTP stack).
// Volume is the recorded issues cloned with new ids, keys and times (seeded, deterministic).
// Uses a fresh database: on DATABASE_URL's server, or an embedded PostgreSQL in a temp directory.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { loadCollectorConfig, syncJira } from '@stride/collector';
import {
  createApiToken,
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { startFakeJiraServer } from '@stride/testkit/fakes';
import { sql } from 'kysely';
import pino from 'pino';

const recorded = resolve(import.meta.dirname, '../../tests/fixtures/recorded');
const env = loadCollectorConfig();
const tempDir = await mkdtemp(join(tmpdir(), 'stride-bench-jira-'));
const server = await startScratchPostgres(env.DATABASE_URL, 'stride-bench-jira-pg-');
const { adminUrl } = server;

/** Writes a fixtures dir whose jira_issues.json holds `count` clones of the recorded issues. */
async function writeVolume(count: number): Promise<string> {
  const dir = await mkdtemp(join(tempDir, 'fixtures-'));
  const issues = JSON.parse(await readFile(join(recorded, 'jira_issues.json'), 'utf8')) as {
    id: string;
    key: string;
    fields: Record<string, unknown> & { project: { key: string } };
  }[];
  const start = Date.parse('2025-01-01T00:00:00Z');
  const out = Array.from({ length: count }, (_, n) => {
    const template = issues[n % issues.length]!;
    const at = new Date(start + n * 37_000).toISOString().replace('Z', '+0000');
    return {
      ...template,
      id: String(100_000 + n),
      key: `${template.fields.project.key}-${10_000 + n}`,
      fields: { ...template.fields, created: at, updated: at },
    };
  });
  await writeFile(join(dir, 'jira_issues.json'), JSON.stringify(out));
  for (const f of [
    'jira_changelogs.json',
    'jira_projects.json',
    'jira_statuses.json',
    'jira_issue_types.json',
  ]) {
    await copyFile(join(recorded, f), join(dir, f));
  }
  return dir;
}

async function withDatabase<T>(run: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const name = `stride_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const db = createDb(withDatabaseName(adminUrl, name), 4);
  try {
    await migrateToLatest(db);
    return await run(db);
  } finally {
    await db.destroy();
    const admin = createDb(adminUrl, 1);
    await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
    await admin.destroy();
  }
}

const logger = pino({ level: 'silent' });
const config = parseStrideConfig({ jira: { projects: ['EE', 'K5'], incidentLabels: ['Saas'] } });
const jiraRates: { issues: number; rate: number; seconds: number; requests: number }[] = [];
let webhookRate = 0;
try {
  for (const count of [1000, 4000]) {
    const fake = await startFakeJiraServer({ fixturesDir: await writeVolume(count), pageSize: 100 });
    try {
      await withDatabase(async (db) => {
        const t0 = performance.now();
        const reports = await syncJira({
          db,
          config,
          env: loadCollectorConfig({
            JIRA_HOST: fake.url,
            JIRA_EMAIL: 'bench@example.com',
            JIRA_API_TOKEN: 'x',
          }),
          logger,
          since: new Date('2024-01-01T00:00:00Z'),
        });
        const seconds = (performance.now() - t0) / 1000;
        const issues = reports.reduce((sum, r) => sum + r.itemsUpserted, 0);
        jiraRates.push({ issues, seconds, rate: issues / seconds, requests: fake.requests.length });
      });
    } finally {
      await fake.close();
    }
  }

  await withDatabase(async (db) => {
    const app = await buildApp({
      db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({}),
      logger: false,
    });
    const { token } = await createApiToken(db, { name: 'bench', role: 'webhook', scope: 'bench' });
    const n = 500;
    const t0 = performance.now();
    for (let i = 0; i < n; i += 1) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/webhooks/deployments',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          eventId: `e-${i}`,
          deploymentId: `d-${i}`,
          repository: `acme/svc-${i % 10}`,
          environment: 'production',
          status: 'success',
          finishedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString(),
        },
      });
      if (res.statusCode !== 202) throw new Error(`webhook ${i}: ${res.statusCode} ${res.body}`);
    }
    webhookRate = n / ((performance.now() - t0) / 1000);
    await app.close();
  });
} finally {
  await server.stop();
  await rm(tempDir, { recursive: true, force: true });
}

for (const r of jiraRates) {
  console.log(
    `jira sync ${String(r.issues).padStart(6)} issues  ${Math.round(r.rate).toLocaleString('en')} issues/s (${r.seconds.toFixed(1)} s, ${r.requests} requests)`,
  );
}
if (jiraRates.length === 2) {
  console.log(
    `jira sync rate ratio ${jiraRates[1]!.issues} / ${jiraRates[0]!.issues} issues: ${(jiraRates[1]!.rate / jiraRates[0]!.rate).toFixed(2)} (1.00 = linear scaling)`,
  );
}
console.log(
  `generic deployment webhooks: ${Math.round(webhookRate).toLocaleString('en')} deliveries/s (sequential, app.inject)`,
);
