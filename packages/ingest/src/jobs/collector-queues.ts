import PgBoss from 'pg-boss';

/**
 * pg-boss queues the collector worker runs. They live here, not in the collector, because the API
 * also sends to them (an admin's backfill request) and no app imports another app.
 */
export const COLLECTOR_QUEUES = {
  /** Scheduled every `sync.intervalMinutes`: fans out one repository job per configured repository. */
  githubSync: 'stride-github-sync',
  /** Backfill to a horizon (`{ days }`, default `sync.backfillDays`): fans out like githubSync. */
  githubBackfill: 'stride-github-backfill',
  /** One repository (`{ repository, backfillDays? }`); at most one queued and one running per repository. */
  githubRepository: 'stride-github-sync-repository',
  /** Jira (`{ backfillDays? }`), queued with every fan-out when `jira` and JIRA_HOST are configured. */
  jiraSync: 'stride-jira-sync',
} as const;

/**
 * Queues a backfill of every configured repository to `days` back (default: the worker's
 * `sync.backfillDays`) on the pg-boss schema `pgboss` of `databaseUrl`; the collector worker runs it.
 * @throws the connection error when the database cannot be reached.
 */
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
