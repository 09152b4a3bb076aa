// `npm run digest -- --team payments [--dry-run] [--from 2026-11-16 --to 2026-11-30]`, or `--org`:
// builds the digest the schedule would send now (or for the given period) on the database
// `npm start` serves (the demo's, with its generated goals, when there is no config file) and
// prints it (--dry-run) or delivers it to the configured Slack webhook and SMTP server.

import { parseArgs } from 'node:util';
import {
  buildApp,
  buildDigest,
  deliverDigest,
  digestPeriodNow,
  loadApiConfig,
  renderDigest,
  resolveDigestChannels,
} from '@stride/api';
import {
  EmbeddedPostgresError,
  getAppSetting,
  openDatabase,
  syncPlansFromConfig,
  syncTeamsFromConfig,
} from '@stride/db';
import {
  loadStrideConfig,
  parseStrideConfig,
  type StrideConfig,
  type TeamConfig,
} from '@stride/shared/config';
import { addDemoPlans, DEMO_ORG_SETTING, DEMO_TEAMS_SETTING } from '@stride/testkit/demo';
import { productDatabase } from './product-database.ts';

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
  if (!values.team && !values.org) throw new Error('give --team <slug> or --org');
  const config = loadApiConfig();
  const target = productDatabase(config);
  const database = await openDatabase({ ...target.open, shareRunning: true });
  try {
    let strideConfig: StrideConfig;
    if (target.configPath) {
      strideConfig = await loadStrideConfig(target.configPath);
      // As at boot: the configured teams and goals exist before the digest reads them.
      await syncTeamsFromConfig(database.db, strideConfig.teams);
      await syncPlansFromConfig(database.db, strideConfig);
    } else {
      // The demo: its generated teams as `npm start` configured them, with the same plans.
      const teams =
        ((await getAppSetting(database.db, DEMO_TEAMS_SETTING)) as TeamConfig[] | undefined) ?? [];
      const meta = (await getAppSetting(database.db, DEMO_ORG_SETTING)) as { end?: string } | undefined;
      if (teams.length === 0) throw new Error('no config file and no demo loaded: run npm start first');
      strideConfig = parseStrideConfig(
        addDemoPlans(
          { teams },
          teams.map((t) => t.slug),
          new Date(meta?.end ?? Date.now()),
        ),
        'demo config',
      );
    }
    const app = await buildApp({ db: database.db, config, strideConfig, logger: false });
    try {
      const team = values.org ? undefined : values.team;
      const period =
        values.from && values.to
          ? { from: values.from, to: values.to }
          : digestPeriodNow(strideConfig, team, new Date());
      const content = await buildDigest(app, team, period);
      if (values['dry-run']) {
        process.stdout.write(`${renderDigest(content).text}\n`);
      } else {
        for (const r of await deliverDigest(
          database.db,
          resolveDigestChannels(config, strideConfig),
          content,
        ))
          console.log(`${r.channel}: ${r.outcome}`);
      }
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
} catch (error) {
  const message =
    error instanceof EmbeddedPostgresError || error instanceof Error ? error.message : String(error);
  console.error(`npm run digest: ${message}`);
  process.exitCode = 1;
}
