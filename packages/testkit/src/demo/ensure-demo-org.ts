import { type Db, deleteDemoRows, getAppSetting, setAppSetting } from '@stride/db';
import type { TeamConfig } from '@stride/shared/config';
import { createOrgModel } from '../model/org-model.ts';
import { DEMO_OWNER, demoModelOptions } from '../presets/size-presets.ts';
import {
  DEMO_ORG_SETTING,
  type DemoOrgMeta,
  type LoadDemoOrgOptions,
  type LoadDemoOrgResult,
  loadDemoOrg,
} from './load-demo-org.ts';

/** app_settings key holding the teams section of the loaded demo. */
export const DEMO_TEAMS_SETTING = 'demo_teams';

export interface EnsureDemoOrgOptions extends LoadDemoOrgOptions {
  seed: number;
  teams: number;
  repositories: number;
  years: number;
  /** Human PRs per team per week (volume); default from each team's size and profile. */
  prsPerTeamWeek?: number;
  /** End of the generated history (the caller's "now"). */
  end: Date;
  /** Regenerate even when a demo with the same seed is already loaded. */
  force?: boolean;
}

export interface EnsureDemoOrgResult {
  /** False when a demo with the same seed was already loaded and nothing was written. */
  loaded: boolean;
  meta: DemoOrgMeta;
  /** The `teams` section of the loaded demo (for the StrideConfig the API runs with). */
  teams: TeamConfig[];
  load?: LoadDemoOrgResult;
}

/** A kept demo older than this is regenerated, so its last weeks never go empty. */
const DEMO_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Loads the demo organisation of `options` unless a demo with the same seed, ending less than a
 * day before `options.end`, is already in the database: re-running `npm start` the same day then
 * writes nothing. A demo with the same seed that has gone stale is regenerated at its own size
 * (so a larger org from `npm run demo:generate` stays large) ending at `options.end`. A different
 * demo already loaded is deleted first (deleteDemoRows), so two demos never mix.
 */
export async function ensureDemoOrg(db: Db, options: EnsureDemoOrgOptions): Promise<EnsureDemoOrgResult> {
  const previous = (await getAppSetting(db, DEMO_ORG_SETTING)) as DemoOrgMeta | undefined;
  // Same seed: keep what is loaded (also a larger org loaded by `npm run demo:generate`).
  const same = previous !== undefined && previous.seed === options.seed;
  const stale = same && options.end.getTime() - Date.parse(previous.end) > DEMO_MAX_AGE_MS;
  if (same && !stale && !options.force) {
    const teams = ((await getAppSetting(db, DEMO_TEAMS_SETTING)) as TeamConfig[] | undefined) ?? [];
    return { loaded: false, meta: previous, teams };
  }
  if (previous !== undefined) await deleteDemoRows(db, DEMO_OWNER, 'demo:', previous.teamSlugs ?? []);

  if (stale) {
    options = {
      ...options,
      teams: previous.teams,
      repositories: previous.repositories,
      years: previous.years,
      ...(previous.prsPerTeamWeek === undefined ? {} : { prsPerTeamWeek: previous.prsPerTeamWeek }),
    };
  }
  // Streamed: each repository's rows are generated as they are written.
  const model = createOrgModel(demoModelOptions(options));
  const meta: DemoOrgMeta = {
    seed: options.seed,
    teams: options.teams,
    repositories: options.repositories,
    years: options.years,
    ...(options.prsPerTeamWeek === undefined ? {} : { prsPerTeamWeek: options.prsPerTeamWeek }),
    end: options.end.toISOString(),
    teamSlugs: model.config.map((t) => t.slug),
  };
  const load = await loadDemoOrg(db, model, meta, options);
  await setAppSetting(db, DEMO_TEAMS_SETTING, model.config);
  return { loaded: true, meta, teams: model.config, load };
}
