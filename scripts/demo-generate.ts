// `npm run demo:generate -- --teams N --years Y --seed S [--repositories R] [--prs-per-team-week V]`:
// generates a demo organisation of the given size and volume and streams it into Stride's demo
// database (the one `npm start` uses without config; DATABASE_URL when set), replacing any demo
// already there.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCollectorConfig } from '@stride/collector';
import { migrateToLatest, openDatabase } from '@stride/db';
import { DEMO_DATABASE_NAME, DEMO_SEED, ensureDemoOrg } from '@stride/testkit/demo';

const { values } = parseArgs({
  options: {
    teams: { type: 'string', default: '8' },
    years: { type: 'string', default: '2' },
    seed: { type: 'string', default: String(DEMO_SEED) },
    repositories: { type: 'string' },
    'prs-per-team-week': { type: 'string' },
    'batch-size': { type: 'string', default: '1000' },
  },
});
const positive = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (Number.isFinite(n) && n > 0) return n;
  console.error(`demo:generate: --${name} must be a positive number, got '${value}'`);
  process.exit(2);
};
const teams = Math.round(positive('teams', values.teams));
const years = positive('years', values.years);
const seed = Math.round(Number(values.seed));
const repositories = values.repositories
  ? Math.round(positive('repositories', values.repositories))
  : teams * 5;
const prsPerTeamWeek = values['prs-per-team-week']
  ? positive('prs-per-team-week', values['prs-per-team-week'])
  : undefined;

const env = loadCollectorConfig();
const database = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: resolve(env.STRIDE_DATA_DIR, 'pg'),
  databaseName: DEMO_DATABASE_NAME,
});
try {
  await migrateToLatest(database.db);
  const result = await ensureDemoOrg(database.db, {
    seed,
    teams,
    repositories,
    years,
    ...(prsPerTeamWeek === undefined ? {} : { prsPerTeamWeek }),
    end: new Date(),
    force: true,
    batchSize: Math.round(positive('batch-size', values['batch-size'])),
  });
  const load = result.load!;
  for (const [entity, n] of Object.entries(load.rows)) console.log(`  ${entity}: ${n}`);
  console.log(
    `demo organisation (seed ${seed}, ${teams} teams, ${repositories} repositories, ${years} years): ` +
      `${load.total} rows generated and loaded (streamed per repository) in ${load.seconds.toFixed(1)} s ` +
      `(${Math.round(load.total / load.seconds)} rows/s)`,
  );
} finally {
  await database.close();
}
