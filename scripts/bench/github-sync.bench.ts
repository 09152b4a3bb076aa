// GitHub sync end to end: the real collector against the local fake GitHub API (seeded generated
// volume) into a fresh PostgreSQL database. Prints the first sync's requests, time and rows per
// second, and the re-sync's requests and their ratio to the first (the target is under 2 %).
import { randomBytes } from 'node:crypto';
import { loadCollectorConfig, runAllSyncs, type SyncReport } from '@stride/collector';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { startFakeGitHubServer } from '@stride/testkit/fakes';
import pino from 'pino';

const env = loadCollectorConfig();
const pg = await startScratchPostgres(env.DATABASE_URL, 'stride-bench-');
const { adminUrl } = pg;
const repositories = 3;
const pullsPerRepository = 200;
const server = await startFakeGitHubServer({
  fixturesDir: null,
  generated: { owner: 'bench', repositories, pullsPerRepository, seed: 2026 },
});
const name = `stride_bench_${randomBytes(4).toString('hex')}`;
await ensureDatabase(adminUrl, name);
const db = createDb(withDatabaseName(adminUrl, name), 4);
const sum = (reports: SyncReport[], field: 'requests' | 'notModified' | 'itemsUpserted') =>
  reports.reduce((n, r) => n + r[field], 0);
try {
  await migrateToLatest(db);
  const ctx = {
    db,
    config: parseStrideConfig({
      github: { orgs: ['bench'], deployments: { source: 'github_deployments', environment: '^production$' } },
      sync: { backfillDays: 5000, intervalMinutes: 15 },
    }),
    env: { ...env, GITHUB_API_URL: server.url },
    logger: pino({ level: 'error' }),
  };
  const t0 = performance.now();
  const first = await runAllSyncs(ctx);
  const firstSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const again = await runAllSyncs(ctx);
  const againSeconds = (performance.now() - t1) / 1000;
  const rows = sum(first, 'itemsUpserted');
  console.log(`${repositories} repositories × ${pullsPerRepository} PRs (generated, seed 2026)`);
  console.log(
    `first sync: ${sum(first, 'requests')} requests in ${firstSeconds.toFixed(1)} s, ${rows} rows ` +
      `(${Math.round(rows / firstSeconds)} rows/s, ${Math.round(sum(first, 'requests') / firstSeconds)} requests/s)`,
  );
  console.log(
    `re-sync:    ${sum(again, 'requests')} requests (${sum(again, 'notModified')} answered 304) in ` +
      `${againSeconds.toFixed(2)} s; ratio ${((100 * sum(again, 'requests')) / sum(first, 'requests')).toFixed(2)} % ` +
      `of the first sync's requests, ${sum(again, 'requests') - sum(again, 'notModified')} counted against the rate limit`,
  );
} finally {
  await db.destroy();
  await server.close();
  const admin = createDb(adminUrl, 1);
  const { sql } = await import('kysely');
  await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
  await admin.destroy();
  await pg.stop();
}
