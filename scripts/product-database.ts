// Which database `npm start` serves, shared by the scripts that must reach the same one
// (`npm run token`): the demo (no STRIDE_CONFIG and no ./stride.config.yaml) lives in its own
// database on the embedded server, so real data collected later never mixes with it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiConfig } from '@stride/api';
import type { OpenDatabaseOptions } from '@stride/db';
import { DEMO_DATABASE_NAME } from '@stride/testkit/demo';

export interface ProductDatabase {
  /** The config file in use, or undefined for the demo. */
  configPath: string | undefined;
  demo: boolean;
  /** Options for openDatabase: DATABASE_URL, else the embedded server under STRIDE_DATA_DIR. */
  open: OpenDatabaseOptions;
}

/** The database `npm start` would open for this environment and working directory. */
export function productDatabase(config: ApiConfig): ProductDatabase {
  const localConfig = resolve('stride.config.yaml');
  const configPath = config.STRIDE_CONFIG ?? (existsSync(localConfig) ? localConfig : undefined);
  const demo = configPath === undefined;
  return {
    configPath,
    demo,
    open: {
      databaseUrl: config.DATABASE_URL,
      dataDir: resolve(config.STRIDE_DATA_DIR, 'pg'),
      databaseName: demo ? DEMO_DATABASE_NAME : undefined,
    },
  };
}
