// `npm run digest -- --team payments [--dry-run] [--from 2026-11-16 --to 2026-11-30]`, or `--org`:
// builds the digest the schedule would send now (or for the given period) and prints it
// (--dry-run) or delivers it to the configured Slack webhook and SMTP server.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '@stride/db';
import { StrideError } from '@stride/shared';
import { loadStrideConfig, parseStrideConfig } from '@stride/shared/config';
import { buildApp } from '../app.ts';
import { loadApiConfig } from '../config.ts';
import { buildDigest } from './build-digest.ts';
import { deliverDigest } from './deliver-digest.ts';
import { digestPeriodNow } from './digest-period.ts';
import { renderDigest } from './render-digest.ts';

const { values } = parseArgs({
  options: {
    team: { type: 'string' },
    org: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
  },
});

try {
  if (!values.team && !values.org) throw new StrideError('invalid_parameter', 'give --team <slug> or --org');
  const config = loadApiConfig();
  const strideConfig = config.STRIDE_CONFIG
    ? await loadStrideConfig(config.STRIDE_CONFIG)
    : parseStrideConfig({});
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: join(config.STRIDE_DATA_DIR, 'pg'),
  });
  try {
    await migrateToLatest(database.db);
    const app = await buildApp({ db: database.db, config, strideConfig, logger: false });
    const team = values.org ? undefined : values.team;
    const period =
      values.from && values.to
        ? { from: values.from, to: values.to }
        : digestPeriodNow(strideConfig, team, new Date());
    const content = await buildDigest(app, team, period);
    if (values['dry-run']) {
      process.stdout.write(`${renderDigest(content).text}\n`);
    } else {
      for (const r of await deliverDigest(database.db, config, content))
        console.log(`${r.channel}: ${r.outcome}`);
    }
    await app.close();
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`digest: ${(error as Error).message}`);
  process.exitCode = 1;
}
