import { type Db, getRepositoryByName, markInterruptedSyncRuns } from '@stride/db';
import { COLLECTOR_QUEUES, createLinkQueue, workLinkJobs } from '@stride/ingest';
import type { StrideConfig } from '@stride/shared/config';
import { subDays } from 'date-fns/subDays';
import PgBoss from 'pg-boss';
import type { CollectorConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { linkDerived } from './sync/run-all-syncs.ts';
import type { SyncContext } from './sync/sync-context.ts';
import { syncCopilotUsage } from './sync/sync-copilot-usage-reports.ts';
import { createGitHubClientPool, listConfiguredRepositories, syncGitHub } from './sync/sync-github.ts';
import { syncJira } from './sync/sync-jira.ts';

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
  /**
   * Aborted when the process is asked to stop, before the returned stop function is called: the
   * running syncs stop taking new pages at once (the page in hand is stored) while the rest of
   * the process (`npm start`'s API) drains; the stop function then waits for them.
   */
  stopSignal?: AbortSignal;
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
 * `sync.intervalMinutes`; a sync or backfill job fans out one job per repository (and syncs the
 * Copilot metrics of each organisation and GitHub team itself); each
 * repository job syncs it (syncGitHub) and then links changes and incidents to deployments.
 * A failed repository job is retried by pg-boss with backoff.
 * @returns a function that stops the worker gracefully: running syncs store the page in hand
 *   and end `interrupted` (their jobs are retried by the next worker), then pg-boss stops.
 */
export async function startCollectorWorker(options: CollectorWorkerOptions): Promise<() => Promise<void>> {
  const { db, config, env, logger } = options;
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: 'pgboss', max: 4 });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));
  // Runs left `running` by a collector that died (no heartbeat for a minute) are `interrupted`.
  const interrupted = await markInterruptedSyncRuns(db);
  if (interrupted > 0) logger.warn({ interrupted }, 'sync runs of a stopped collector marked interrupted');
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
  // Jira: one job for all projects (syncJira walks them with per-project cursors).
  const jiraEnabled = Boolean(config.jira && env.JIRA_HOST);
  if (jiraEnabled) {
    await boss.createQueue(COLLECTOR_QUEUES.jiraSync, {
      name: COLLECTOR_QUEUES.jiraSync,
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 60,
      retryBackoff: true,
    });
  }
  // A graceful stop: running syncs store the page in hand, then end `interrupted` (ctx.stop).
  const stopping = new AbortController();
  const stopSignal = options.stopSignal
    ? AbortSignal.any([stopping.signal, options.stopSignal])
    : stopping.signal;
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 };
  // The links webhooks queued (the API process works them too; each job runs once).
  await createLinkQueue(boss);
  await workLinkJobs(boss, db, { pollingIntervalSeconds: polling.pollingIntervalSeconds });
  const baseContext = (): SyncContext => ({
    db,
    config,
    env,
    logger,
    stop: stopSignal,
    ...(options.waitUnitMs !== undefined ? { waitUnitMs: options.waitUnitMs } : {}),
  });

  const fanOut = async (backfillDays?: number) => {
    const ctx = baseContext();
    const clientOf = await createGitHubClientPool(ctx);
    const repositories = await listConfiguredRepositories(ctx, (owner) => clientOf(owner, 0));
    for (const repository of repositories) {
      const data: RepositoryJob = backfillDays ? { repository, backfillDays } : { repository };
      await boss.send(COLLECTOR_QUEUES.githubRepository, data, { singletonKey: repository });
    }
    logger.info({ repositories: repositories.length, backfillDays }, 'queued GitHub repository syncs');
    // Copilot usage: the daily usage metrics reports per organisation (legacy metrics API as fallback), run here.
    await syncCopilotUsage(ctx);
    if (jiraEnabled) {
      await boss.send(COLLECTOR_QUEUES.jiraSync, backfillDays ? { backfillDays } : {}, {
        singletonKey: 'jira',
      });
    }
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
    // Stopped between pages: failing the job makes pg-boss run it again once a worker is back.
    if (stopSignal.aborted) throw new Error(`GitHub sync of ${repository} stopped by shutdown`);
    const stored = await getRepositoryByName(db, repository);
    await linkDerived(ctx, stored ? [stored.id] : undefined);
    if (report?.error) throw new Error(`GitHub sync of ${repository} failed: ${report.error}`);
    return report;
  });

  if (jiraEnabled) {
    await boss.work<{ backfillDays?: number }>(COLLECTOR_QUEUES.jiraSync, polling, async ([job]) => {
      const backfillDays = job?.data.backfillDays;
      const reports = await syncJira({
        ...baseContext(),
        ...(backfillDays ? { since: subDays(new Date(), backfillDays) } : {}),
      });
      if (stopSignal.aborted) throw new Error('Jira sync stopped by shutdown');
      const failed = reports.filter((r) => r.error);
      if (failed.length > 0) throw new Error(`Jira sync failed for ${failed.map((r) => r.scope).join(', ')}`);
      return reports;
    });
  }

  if (options.schedule !== false) {
    await boss.schedule(COLLECTOR_QUEUES.githubSync, cronForInterval(config.sync.intervalMinutes), {});
  }
  if (options.syncOnStart !== false) {
    await boss.send(COLLECTOR_QUEUES.githubSync, {}, { singletonKey: 'on-start', singletonSeconds: 60 });
  }
  logger.info({ intervalMinutes: config.sync.intervalMinutes }, 'collector worker started');
  return async () => {
    stopping.abort();
    await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  };
}

export { COLLECTOR_QUEUES, queueBackfill } from '@stride/ingest';
