// Listens: `npm start -w @stride/api` (built to dist/server.js first, as the Dockerfile runs it;
// `npm run dev -w @stride/api` through tsx), or scripts/start.ts for the whole product.

import { join } from 'node:path';
import {
  createDb,
  migrateToLatest,
  openDatabase,
  refreshRollups,
  syncPlansFromConfig,
  syncTeamsFromConfig,
} from '@stride/db';
import { startLinkJobs } from '@stride/ingest';
import { loadStrideConfig, parseStrideConfig } from '@stride/shared/config';
import { buildApp } from './app.ts';
import { loadApiConfig, resolveDigestChannels } from './config.ts';
import { startDigestJobs } from './digest/digest-jobs.ts';

const config = loadApiConfig();
const strideConfig = config.STRIDE_CONFIG
  ? await loadStrideConfig(config.STRIDE_CONFIG)
  : parseStrideConfig({});
// Each team's digest channel: the webhook URLs come from the variables the config names.
const digestChannels = resolveDigestChannels(config, strideConfig);
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: join(config.STRIDE_DATA_DIR, 'pg'),
});
await migrateToLatest(database.db);
// As `npm start` does: the configured teams exist before the collector's first run.
await syncTeamsFromConfig(database.db, strideConfig.teams);
await syncPlansFromConfig(database.db, strideConfig);
// The DORA rollups follow the teams just written (nothing is rebuilt when they did not change).
await refreshRollups(database.db);
// Webhooks queue their linking; this process works the queue too (so does a collector worker).
const linkJobs = await startLinkJobs({ databaseUrl: database.url, db: database.db });
// Requests get their own pool with a statement timeout; migrations and link jobs keep theirs.
const requestDb = createDb(database.url, 10, { statementTimeoutMs: config.STATEMENT_TIMEOUT_MS });
const app = await buildApp({ db: requestDb, databaseUrl: database.url, config, strideConfig, linkJobs });
// Digests before each retro and weekly for the org: scheduled and sent by this process.
const digestJobs = await startDigestJobs({ app, databaseUrl: database.url, channels: digestChannels });
app.addHook('onClose', async () => {
  await digestJobs.stop();
  await linkJobs.stop();
  await requestDb.destroy();
  await database.close();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());
await app.listen({ port: config.PORT, host: config.HOST });
