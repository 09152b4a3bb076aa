import type { StrideConfig } from '@stride/shared/config';
import type { FastifyInstance } from 'fastify';
import PgBoss from 'pg-boss';
import { buildDigest } from './build-digest.ts';
import { type DigestChannels, deliverDigest, hasDigestChannel } from './deliver-digest.ts';
import { type DigestSchedule, latestDigestOccurrence } from './digest-schedule.ts';

/** Queue of digests to send: one job per digest and period. */
export const DIGEST_QUEUE = 'stride-digest';
/** Queue of the schedule check, run every 15 minutes by pg-boss cron. */
export const DIGEST_CHECK_QUEUE = 'stride-digest-check';

export interface DigestJob {
  /** Team slug; absent for the org digest. */
  team?: string;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/**
 * The digests due at `now` (docs/metrics.md, "Digests"): each team's before its retro (its
 * `retro` schedule in its timezone; default Monday 09:00) and the org's weekly one
 * (`digests.org`, default Monday 08:00 UTC), whose due time passed within the last day (a
 * digest missed while Stride was down still goes out; the delivery table keeps it to once).
 */
export function dueDigests(config: StrideConfig, now: Date): DigestJob[] {
  const jobs: DigestJob[] = [];
  const add = (schedule: DigestSchedule, team?: string) => {
    const occurrence = latestDigestOccurrence(schedule, now);
    if (!occurrence || now.getTime() - occurrence.dueAt.getTime() > DAY_MS) return;
    jobs.push({ ...(team === undefined ? {} : { team }), from: occurrence.from, to: occurrence.to });
  };
  for (const team of config.teams) {
    add({ timezone: team.timezone, weekday: 'monday', hour: 9, ...team.retro }, team.slug);
  }
  const org = config.digests?.org ?? { weekday: 'monday' as const, hour: 8, timezone: 'UTC' };
  add(org);
  return jobs;
}

/** The pg-boss singleton key of a digest job: one per digest and period. */
export const digestJobKey = (job: DigestJob) => `${job.team ?? 'org'}:${job.from}..${job.to}`;

export interface DigestJobs {
  queue(job: DigestJob): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the digest jobs on pg-boss (schema `pgboss`): a cron every 15 minutes queues the due
 * digests, and this process works the digest queue (build with the API's own computations, then
 * deliver; a failed delivery is retried 5 times with backoff, never re-sent once sent).
 * Nothing is scheduled when no channel is configured, and a schedule an earlier run registered
 * with a channel is removed then (pg-boss keeps schedules in the database).
 */
export async function startDigestJobs(options: {
  app: FastifyInstance;
  databaseUrl: string;
  channels: DigestChannels;
  /** Seconds between retries of a failed digest (default 60, doubling). */
  retryDelay?: number;
  pollingIntervalSeconds?: number;
  schedule?: boolean;
  onError?: (error: Error) => void;
}): Promise<DigestJobs> {
  const { app } = options;
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: 'pgboss', max: 2 });
  boss.on('error', options.onError ?? (() => {}));
  await boss.start();
  await boss.createQueue(DIGEST_QUEUE, {
    name: DIGEST_QUEUE,
    policy: 'standard',
    retryLimit: 5,
    retryDelay: options.retryDelay ?? 60,
    retryBackoff: true,
  });
  await boss.createQueue(DIGEST_CHECK_QUEUE, { name: DIGEST_CHECK_QUEUE, policy: 'singleton' });
  const queue = async (job: DigestJob) => {
    await boss.send(DIGEST_QUEUE, job, { singletonKey: digestJobKey(job) });
  };
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5, batchSize: 1 };
  await boss.work<DigestJob>(DIGEST_QUEUE, polling, async ([job]) => {
    if (!job) return;
    const content = await buildDigest(app, job.data.team, { from: job.data.from, to: job.data.to });
    await deliverDigest(app.db, options.channels, content);
  });
  if (hasDigestChannel(options.channels) && options.schedule !== false) {
    await boss.work(DIGEST_CHECK_QUEUE, polling, async () => {
      for (const job of dueDigests(app.strideConfig, new Date())) await queue(job);
    });
    await boss.schedule(DIGEST_CHECK_QUEUE, '*/15 * * * *');
  } else if (!hasDigestChannel(options.channels)) {
    // pg-boss keeps schedules in the database: one an earlier run with a channel registered
    // would otherwise keep queuing checks that have nowhere to deliver.
    await boss.unschedule(DIGEST_CHECK_QUEUE);
  }
  return {
    queue,
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
