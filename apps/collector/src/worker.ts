import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Db, getRepositoryByName, migrateToLatest, openDatabase, syncTeamsFromConfig } from '@stride/db';
import { loadStrideConfig, parseStrideConfig, type StrideConfig } from '@stride/shared/config';
import { subDays } from 'date-fns';
import PgBoss from 'pg-boss';
import { type CollectorConfig, loadCollectorConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { linkDerived } from './sync/run-all-syncs.ts';
import type { SyncContext } from './sync/sync-context.ts';
import { createGitHubClient, listConfiguredRepositories, syncGitHub } from './sync/sync-github.ts';

/** pg-boss queues of the collector. */
export const COLLECTOR_QUEUES = {
  /** Scheduled every `sync.intervalMinutes`: fans out one repository job per configured repository. */
  githubSync: 'stride-github-sync',
  /** Backfill to a horizon (`{ days }`, default `sync.backfillDays`): fans out like githubSync. */
  githubBackfill: 'stride-github-backfill',
  /** One repository (`{ repository, backfillDays? }`); at most one queued and one running per repository. */
  githubRepository: 'stride-github-sync-repository',
} as const;

export interface CollectorWorkerOptions {
  db: Db;
  /** Connection string of the same database: pg-boss keeps its queue there (schema `pgboss`). */
  databaseUrl: string;
  config: StrideConfig;
  env: CollectorConfig;
  logger: Logger;
  /** Register the cron schedule (default true). Several processes may do it: it is an upsert. */
  schedule?: boolean;
  /** Queue a sync at start (default true); deduplicated across processes for a minute. */
  syncOnStart?: boolean;
  /** How often an idle worker polls for jobs, seconds (default 2). */
  pollingIntervalSeconds?: number;
  /** Retry/rate-limit wait unit for the GitHub client (tests shrink it). */
  waitUnitMs?: number;
}

/** Cron expression for "every N minutes" (N >= 60 rounds to whole hours). */
export function cronForInterval(minutes: number): string {
  if (minutes < 60) return `*/${Math.max(1, minutes)} * * * *`;
  const hours = Math.max(1, Math.round(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

interface FanOutJob {
  days?: number;
}
interface RepositoryJob {
  repository: string;
  backfillDays?: number;
}

/**
 * Starts a collector worker on pg-boss (a real PostgreSQL queue, so several processes share the
 * work: each repository job runs in exactly one of them). Schedules the GitHub sync every
 * `sync.intervalMinutes`; a sync or backfill job fans out one job per repository; each
 * repository job syncs it (syncGitHub) and then links changes and incidents to deployments.
 * A failed repository job is retried by pg-boss with backoff.
 * @returns a function that stops the worker gracefully (running jobs finish first).
 */
export async function startCollectorWorker(options: CollectorWorkerOptions): Promise<() => Promise<void>> {
  const { db, config, env, logger } = options;
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: 'pgboss', max: 4 });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));
  await boss.start();
  await boss.createQueue(COLLECTOR_QUEUES.githubSync, {
    name: COLLECTOR_QUEUES.githubSync,
    policy: 'singleton',
  });
  await boss.createQueue(COLLECTOR_QUEUES.githubBackfill, { name: COLLECTOR_QUEUES.githubBackfill });
  await boss.createQueue(COLLECTOR_QUEUES.githubRepository, {
    name: COLLECTOR_QUEUES.githubRepository,
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    expireInHours: 6,
  });
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  const baseContext = (): SyncContext => ({
    db,
    config,
    env,
    logger,
    ...(options.waitUnitMs !== undefined ? { waitUnitMs: options.waitUnitMs } : {}),
  });

  const fanOut = async (backfillDays?: number) => {
    const ctx = baseContext();
    const repositories = await listConfiguredRepositories(ctx, createGitHubClient(ctx));
    for (const repository of repositories) {
      const data: RepositoryJob = backfillDays ? { repository, backfillDays } : { repository };
      await boss.send(COLLECTOR_QUEUES.githubRepository, data, { singletonKey: repository });
    }
    logger.info({ repositories: repositories.length, backfillDays }, 'queued GitHub repository syncs');
  };

  await boss.work<FanOutJob>(COLLECTOR_QUEUES.githubSync, polling, async () => fanOut());
  await boss.work<FanOutJob>(COLLECTOR_QUEUES.githubBackfill, polling, async ([job]) =>
    fanOut(job?.data.days ?? config.sync.backfillDays),
  );
  await boss.work<RepositoryJob>(COLLECTOR_QUEUES.githubRepository, polling, async ([job]) => {
    if (!job) return;
    const { repository, backfillDays } = job.data;
    const ctx: SyncContext = {
      ...baseContext(),
      ...(backfillDays ? { since: subDays(new Date(), backfillDays), backfill: true } : {}),
    };
    const [report] = await syncGitHub(ctx, { repositories: [repository] });
    const stored = await getRepositoryByName(db, repository);
    await linkDerived(ctx, stored ? [stored.id] : undefined);
    if (report?.error) throw new Error(`GitHub sync of ${repository} failed: ${report.error}`);
    return report;
  });

  if (options.schedule !== false) {
    await boss.schedule(COLLECTOR_QUEUES.githubSync, cronForInterval(config.sync.intervalMinutes), {});
  }
  if (options.syncOnStart !== false) {
    await boss.send(COLLECTOR_QUEUES.githubSync, {}, { singletonKey: 'on-start', singletonSeconds: 60 });
  }
  logger.info({ intervalMinutes: config.sync.intervalMinutes }, 'collector worker started');
  return async () => {
    await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  };
}

/** Queues a backfill of every configured repository to `days` back (default `sync.backfillDays`). */
export async function queueBackfill(databaseUrl: string, days?: number): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 1 });
  await boss.start();
  try {
    await boss.createQueue(COLLECTOR_QUEUES.githubBackfill, { name: COLLECTOR_QUEUES.githubBackfill });
    await boss.send(COLLECTOR_QUEUES.githubBackfill, days ? { days } : {});
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** `npm start -w @stride/collector`: database, migrations, then the worker until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const env = loadCollectorConfig();
  const logger = createLogger(env.LOG_LEVEL);
  const config = env.STRIDE_CONFIG ? await loadStrideConfig(env.STRIDE_CONFIG) : parseStrideConfig({});
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: resolve(env.STRIDE_DATA_DIR, 'pg'),
  });
  await migrateToLatest(database.db);
  await syncTeamsFromConfig(database.db, config.teams);
  const stop = await startCollectorWorker({
    db: database.db,
    databaseUrl: database.url,
    config,
    env,
    logger,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop()
        .then(() => database.close())
        .then(() => process.exit(0));
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
