import { type Db, sqlExecutorOf } from '@stride/db';
import PgBoss from 'pg-boss';
import { type DeriveLinksScope, deriveLinks } from '../derive-links.ts';

/**
 * pg-boss queue of derived-link jobs (`deriveLinks` for one repository, or incident attribution
 * alone). Webhooks send to it and answer at once: linking a repository can take longer than a
 * sender waits (GitHub gives up after 10 s). Policy `stately`: per scope at most one job queued
 * and one running, so a burst of deliveries for one repository links it once or twice, not N times.
 */
export const LINK_QUEUE = 'stride-derive-links';

/** The pg-boss singleton key of a scope: one per repository set, `attribution` for incidents only. */
export function linkJobKey(scope: DeriveLinksScope): string {
  if (scope.repositoryIds === 'all') return 'all';
  return scope.repositoryIds.length === 0 ? 'attribution' : [...scope.repositoryIds].sort().join(',');
}

/** Creates the link queue (idempotent: every process that sends or works calls it). */
export async function createLinkQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(LINK_QUEUE, {
    name: LINK_QUEUE,
    policy: 'stately',
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
  });
}

/**
 * Works the link queue on `boss` with `db`: each job runs `deriveLinks` for its scope. A failed
 * job (database away) is retried by pg-boss with backoff; linking only fills what is missing, so
 * a retry is safe.
 */
export async function workLinkJobs(
  boss: PgBoss,
  db: Db,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  await boss.work<DeriveLinksScope>(
    LINK_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
    async ([job]) => (job ? deriveLinks(db, job.data) : undefined),
  );
}

export interface LinkJobs {
  /**
   * Queues `deriveLinks(scope)`; resolves once the job is stored (not when it ran). With
   * `transaction`, the job is written in it: it exists exactly when the write it links commits.
   */
  queue(scope: DeriveLinksScope, transaction?: Db): Promise<void>;
  /** Stops sending and, when working, lets a running job finish first. */
  stop(): Promise<void>;
}

/**
 * Starts a pg-boss client (schema `pgboss`, as the collector worker) on `databaseUrl` for the link
 * queue. With `work` (default true) this process also runs the jobs, so webhooks get linked even
 * where no collector worker runs (the collector worker works the same queue; pg-boss gives each
 * job to one of them).
 * @throws the connection error when the database cannot be reached at start.
 */
export async function startLinkJobs(options: {
  databaseUrl: string;
  db: Db;
  work?: boolean;
  pollingIntervalSeconds?: number;
  onError?: (error: Error) => void;
}): Promise<LinkJobs> {
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: 'pgboss', max: 2 });
  boss.on('error', options.onError ?? (() => {}));
  await boss.start();
  await createLinkQueue(boss);
  if (options.work !== false) {
    await workLinkJobs(boss, options.db, {
      ...(options.pollingIntervalSeconds !== undefined
        ? { pollingIntervalSeconds: options.pollingIntervalSeconds }
        : {}),
    });
  }
  return {
    async queue(scope, transaction) {
      await boss.send(LINK_QUEUE, scope, {
        singletonKey: linkJobKey(scope),
        ...(transaction ? { db: sqlExecutorOf(transaction) } : {}),
      });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
