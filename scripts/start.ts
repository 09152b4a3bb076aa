// `npm start`: the whole product in one process tree. Opens the database (DATABASE_URL, or an
// embedded PostgreSQL under ./.stride/pg), migrates, and serves the API and the built dashboard.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildApp, loadApiConfig } from '@stride/api';
import { migrateToLatest, openDatabase, syncTeamsFromConfig } from '@stride/db';
import { loadStrideConfig, parseStrideConfig } from '@stride/shared/config';

const config = loadApiConfig();
const strideConfig = config.STRIDE_CONFIG
  ? await loadStrideConfig(config.STRIDE_CONFIG)
  : parseStrideConfig({});
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: resolve(config.STRIDE_DATA_DIR, 'pg'),
});
await migrateToLatest(database.db);
await syncTeamsFromConfig(database.db, strideConfig.teams);

const webDist = config.WEB_DIST_DIR ?? resolve('apps/web/dist');
const app = await buildApp({
  db: database.db,
  config: { ...config, WEB_DIST_DIR: existsSync(webDist) ? webDist : undefined },
  strideConfig,
});
app.addHook('onClose', () => database.close());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
await app.listen({ port: config.PORT, host: config.HOST });
console.log(
  `\nStride is running: http://${config.HOST}:${config.PORT}/  (API docs: /docs; database: ${database.embedded ? 'embedded PostgreSQL in .stride/pg' : 'DATABASE_URL'})\n`,
);
