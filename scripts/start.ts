// `npm start`: the whole product in one process tree. Opens the database (DATABASE_URL, or an
// embedded PostgreSQL under ./.stride/pg), migrates, then:
// - with a config (STRIDE_CONFIG or ./stride.config.yaml): syncs its teams and starts the
//   collector worker, which collects from GitHub and Jira with the tokens of the environment;
// - without: loads the demo (recorded real payloads collected by the real collector through
//   local GitHub/Jira servers, plus a generated organisation), labelled as demo data.
// Then serves the API and the built dashboard and prints the URL.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp, loadApiConfig, resolveDigestChannels, startDigestJobs } from '@stride/api';
import { createLogger, loadCollectorConfig, startCollectorWorker } from '@stride/collector';
import {
  createDb,
  migrateToLatest,
  openDatabase,
  setAppSetting,
  syncPlansFromConfig,
  syncTeamsFromConfig,
} from '@stride/db';
import { startLinkJobs } from '@stride/ingest';
import { loadStrideConfig, parseStrideConfig, type StrideConfig } from '@stride/shared/config';
import { addDemoPlans, DEMO_SEED, DEMO_SETTING, DEMO_SIZE, ensureDemoOrg } from '@stride/testkit/demo';
import { collectRecordedDemo } from './demo/collect-recorded-demo.ts';
import { productDatabase } from './product-database.ts';

// A start-up failure (bad config or environment, unusable data directory, full or read-only
// disk, port in use) is one line naming the cause, not a stack trace; the exit hook of the
// embedded server stops it if it was started.
const failStart = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[stride] cannot start: ${message.split('\n')[0]}`);
  process.exit(1);
};
process.on('uncaughtException', failStart);
process.on('unhandledRejection', failStart);

const config = loadApiConfig();
const target = productDatabase(config);
const { configPath, demo } = target;
const log = (line: string) => console.log(`[stride] ${line}`);
// A bad config file or environment fails here, naming the key, before any database starts.
const fileConfig = configPath === undefined ? undefined : await loadStrideConfig(configPath);
// So does a team's digest webhook variable the config names but the environment lacks.
if (fileConfig) resolveDigestChannels(config, fileConfig);
const collectorEnv = configPath === undefined ? undefined : loadCollectorConfig();

// The demo lives in its own database, so real data collected later never mixes with it
// (scripts/product-database.ts: `npm run token` opens the same one).
const database = await openDatabase(target.open);
const cleanups: (() => Promise<void>)[] = [];
// Aborted at SIGINT/SIGTERM: the collector stops taking new pages at once, while the API drains.
const collectorStop = new AbortController();
let strideConfig: StrideConfig;
try {
  await migrateToLatest(database.db);
  if (demo) {
    log('no config (STRIDE_CONFIG or ./stride.config.yaml): loading the demo');
    // (a) The recorded real payloads, collected by the real collector through local servers
    // speaking the GitHub and Jira APIs (idempotent: upserts).
    // Quiet: malformed recorded rows are expected (counted below), and 304s are no news.
    const recorded = await collectRecordedDemo(database.db, { logger: createLogger('fatal') });
    const failed = recorded.reports.filter((r) => r.error);
    log(
      `collected the recorded GitHub and Jira payloads (panjf2000/ants, facebook/OpenBIC, Jira EE and K5) in ${recorded.seconds.toFixed(1)} s: ` +
        `${recorded.reports.reduce((n, r) => n + r.itemsUpserted, 0)} items, ${recorded.reports.reduce((n, r) => n + r.itemsSkipped, 0)} malformed skipped` +
        (failed.length > 0 ? `; failed: ${failed.map((r) => `${r.scope} (${r.error})`).join(', ')}` : ''),
    );
    // (b) The generated demo organisation.
    const org = await ensureDemoOrg(database.db, {
      seed: DEMO_SEED,
      ...DEMO_SIZE,
      end: new Date(),
      onProgress: (entity, done, total) => {
        if (done === total) log(`  demo organisation: ${total} ${entity}`);
      },
    });
    if (org.load) {
      log(
        `generated demo organisation (seed ${DEMO_SEED}, ${DEMO_SIZE.teams} teams, ${DEMO_SIZE.repositories} repositories, ` +
          `${DEMO_SIZE.years} years): ${org.load.total} rows loaded in ${org.load.seconds.toFixed(1)} s`,
      );
    } else {
      log(`demo organisation (seed ${DEMO_SEED}) already loaded on ${org.meta.end.slice(0, 10)}: kept`);
    }
    // Goals, agreements, retro schedules and events on the generated teams (validated as a file would be).
    strideConfig = parseStrideConfig(
      addDemoPlans(
        { ...recorded.config, teams: [...recorded.config.teams, ...org.teams] },
        org.teams.map((t) => t.slug),
        new Date(org.meta.end),
      ),
      'demo config',
    );
    await syncPlansFromConfig(database.db, strideConfig);
    await setAppSetting(database.db, DEMO_SETTING, true);
  } else {
    strideConfig = fileConfig!;
    log(`config ${configPath}: ${strideConfig.teams.length} teams`);
    await syncTeamsFromConfig(database.db, strideConfig.teams);
    await syncPlansFromConfig(database.db, strideConfig);
    await setAppSetting(database.db, DEMO_SETTING, false);
    const env = collectorEnv!;
    if (!env.GITHUB_TOKEN && !env.JIRA_HOST) {
      log(
        'neither GITHUB_TOKEN nor JIRA_HOST is set: the collector worker is not started (serving stored data)',
      );
    } else {
      const stopWorker = await startCollectorWorker({
        stopSignal: collectorStop.signal,
        db: database.db,
        databaseUrl: database.url,
        config: strideConfig,
        env,
        logger: createLogger(env.LOG_LEVEL),
      });
      cleanups.push(stopWorker);
      log(`collector worker started: sync every ${strideConfig.sync.intervalMinutes} min`);
    }
  }
} catch (error) {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await database.close();
  throw error;
}

// Webhooks queue their linking as pg-boss jobs; the API process works them (stopped first).
const linkJobs = await startLinkJobs({
  databaseUrl: database.url,
  db: database.db,
  onError: (error) => console.error(`[stride] link jobs: ${error.message}`),
}).catch(async (error: unknown) => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await database.close();
  throw error;
});
cleanups.push(() => linkJobs.stop());

const webDist = config.WEB_DIST_DIR ?? resolve('apps/web/dist');
// Requests get their own pool with a statement timeout; the demo load, migrations and the
// collector keep the unbounded one.
const requestDb = createDb(database.url, 10, { statementTimeoutMs: config.STATEMENT_TIMEOUT_MS });
const closeAll = async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await requestDb.destroy().catch(() => {});
  await database.close();
};
const app = await buildApp({
  db: requestDb,
  databaseUrl: database.url,
  config: { ...config, WEB_DIST_DIR: existsSync(webDist) ? webDist : undefined },
  strideConfig,
  linkJobs,
}).catch(async (error: unknown) => {
  await closeAll();
  throw error;
});
// Digests (before each retro, weekly for the org) are scheduled and sent by this process.
const digestJobs = await startDigestJobs({
  app,
  databaseUrl: database.url,
  channels: resolveDigestChannels(config, strideConfig),
  onError: (error) => console.error(`[stride] digest jobs: ${error.message}`),
}).catch(async (error: unknown) => {
  await closeAll();
  throw error;
});
cleanups.push(() => digestJobs.stop());
// Stop order on SIGINT/SIGTERM: the collector is told at once to take no new page, the API stops
// accepting and drains its in-flight requests (Fastify's close), then the onClose hook waits for
// the collector worker (the sync in hand stores its current page and ends interrupted), then the
// database stops: nothing is cut off mid-request or mid-write.
app.addHook('onClose', closeAll);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping (API, then collector, then database)`);
    collectorStop.abort();
    void app.close().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`[stride] stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  });
}
try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (error) {
  // E.g. the port is taken: stop the embedded PostgreSQL too, never leave it running.
  await app.close();
  const code = (error as NodeJS.ErrnoException).code;
  throw code === 'EADDRINUSE'
    ? new Error(`port ${config.PORT} on ${config.HOST} is already in use (set PORT to another port)`)
    : error;
}
process.off('uncaughtException', failStart);
process.off('unhandledRejection', failStart);
const address = app.server.address();
const port = address && typeof address === 'object' ? address.port : config.PORT;
console.log(
  `\nStride is running: http://${config.HOST}:${port}/  (API docs: /docs; database: ${database.embedded ? `embedded PostgreSQL in ${database.dataDir ?? `${config.STRIDE_DATA_DIR}/pg`}` : 'DATABASE_URL'}${demo ? '; DEMO DATA' : ''})\n`,
);
