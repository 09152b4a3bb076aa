// Listens: `npm start -w @stride/api` (or scripts/start.ts for the whole product).

import { join } from 'node:path';
import { migrateToLatest, openDatabase, syncTeamsFromConfig } from '@stride/db';
import { loadStrideConfig, parseStrideConfig } from '@stride/shared/config';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';

const config = loadApiConfig();
const strideConfig = config.STRIDE_CONFIG
  ? await loadStrideConfig(config.STRIDE_CONFIG)
  : parseStrideConfig({});
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: join(config.STRIDE_DATA_DIR, 'pg'),
});
await migrateToLatest(database.db);
// As `npm start` does: the configured teams exist before the collector's first run.
await syncTeamsFromConfig(database.db, strideConfig.teams);
const app = await buildApp({ db: database.db, databaseUrl: database.url, config, strideConfig });
app.addHook('onClose', () => database.close());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());
await app.listen({ port: config.PORT, host: config.HOST });
