// `npm run collect -- --once [--backfill-days N]`: one collection now, with a progress bar per
// repository, then a summary (requests, 304s, rows, skips, rate limit left).
// `npm run collect` (no --once): the pg-boss worker, until SIGINT/SIGTERM.
// `npm run collect -- --queue-backfill [--backfill-days N]`: queue a backfill for the workers.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase, syncTeamsFromConfig } from '@stride/db';
import { loadStrideConfig, parseStrideConfig, type StrideConfig } from '@stride/shared/config';
import cliProgress from 'cli-progress';
import { subDays } from 'date-fns/subDays';
import { loadCollectorConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { runAllSyncs } from './sync/run-all-syncs.ts';
import type { SyncReport } from './sync/sync-context.ts';
import { queueBackfill, startCollectorWorker } from './worker.ts';

const PHASES = ['pull requests', 'deployments', 'incidents', 'linking', 'done'] as const;
/** Maps a sync's progress phase (or endpoint: pulls, runs:<id>, deployments:<env>, issues) to a step. */
function phaseIndex(phase: string): number {
  if (phase === 'done') return 4;
  if (phase === 'linking') return 3;
  if (phase === 'incidents' || phase === 'issues') return 2;
  if (/^(deployments|runs|workflows)/.test(phase)) return 1;
  return 0;
}

const { values } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'backfill-days': { type: 'string' },
    'queue-backfill': { type: 'boolean', default: false },
    config: { type: 'string' },
    'no-progress': { type: 'boolean', default: false },
  },
  strict: true,
});

const backfillDays = values['backfill-days'] === undefined ? undefined : Number(values['backfill-days']);
if (backfillDays !== undefined && (!Number.isInteger(backfillDays) || backfillDays <= 0)) {
  console.error(`--backfill-days must be a positive whole number of days, got '${values['backfill-days']}'`);
  process.exit(2);
}

const env = loadCollectorConfig();
const configPath =
  values.config ?? env.STRIDE_CONFIG ?? (existsSync('stride.config.yaml') ? 'stride.config.yaml' : undefined);
const config: StrideConfig = configPath ? await loadStrideConfig(configPath) : parseStrideConfig({});
const database = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: resolve(env.STRIDE_DATA_DIR, 'pg'),
});
await migrateToLatest(database.db);
await syncTeamsFromConfig(database.db, config.teams);

if (values['queue-backfill']) {
  await queueBackfill(database.url, backfillDays);
  console.log(`queued a backfill of ${backfillDays ?? config.sync.backfillDays} days`);
  await database.close();
} else if (!values.once) {
  const logger = createLogger(env.LOG_LEVEL);
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
} else {
  const showBars = !values['no-progress'] && process.stderr.isTTY === true;
  // Progress bars own the terminal: logs go to stderr only at warn and above meanwhile.
  const logger = createLogger(showBars && env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const multibar = new cliProgress.MultiBar(
    { format: ' {scope} |{bar}| {phase} {detail}', clearOnComplete: false, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let reports: SyncReport[] = [];
  try {
    reports = await runAllSyncs({
      db: database.db,
      config,
      env,
      logger,
      ...(backfillDays ? { since: subDays(new Date(), backfillDays), backfill: true } : {}),
      onProgress: ({ scope, done, total, phase }) => {
        if (!showBars) return;
        let bar = bars.get(scope);
        if (!bar) {
          bar = multibar.create(PHASES.length * 100, 0, { scope: scope.padEnd(32), phase: '', detail: '' });
          bars.set(scope, bar);
        }
        // One bar per repository: a step per phase, filled within the phase when its size is known.
        const index = phaseIndex(phase);
        const within = total ? Math.min(1, done / total) : 0;
        bar.update(index * 100 + Math.round(within * 100), {
          phase: PHASES[index]!.padEnd(13),
          detail: total ? `${done}/${total}` : done ? String(done) : '',
        });
      },
    });
  } finally {
    multibar.stop();
  }
  console.log('\nsource  scope                             requests  304s  rows  skipped  rate limit left');
  for (const r of reports) {
    console.log(
      `${r.source.padEnd(7)} ${r.scope.padEnd(33)} ${String(r.requests).padStart(8)} ${String(r.notModified).padStart(5)} ` +
        `${String(r.itemsUpserted).padStart(5)} ${String(r.itemsSkipped).padStart(8)}  ${r.rateLimitRemaining ?? '-'}` +
        (r.error ? `  FAILED: ${r.error}` : ''),
    );
  }
  const total = reports.reduce((n, r) => n + r.requests, 0);
  const notModified = reports.reduce((n, r) => n + r.notModified, 0);
  console.log(`total: ${total} requests, ${notModified} answered 304 (no rate limit spent)`);
  await database.close();
  process.exitCode = reports.some((r) => r.error) ? 1 : 0;
}
