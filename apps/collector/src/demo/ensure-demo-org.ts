import { type Db, deleteDemoRows, getAppSetting } from '@stride/db';
import { DEMO_OWNER, generateDemoOrg } from './generate-demo-org.ts';
import {
  DEMO_ORG_SETTING,
  type DemoOrgMeta,
  type LoadDemoOrgOptions,
  type LoadDemoOrgResult,
  loadDemoOrg,
} from './load-demo-org.ts';

export interface EnsureDemoOrgOptions extends LoadDemoOrgOptions {
  seed: number;
  teams: number;
  repositories: number;
  years: number;
  /** End of the generated history (the caller's "now"). */
  end: Date;
  /** Regenerate even when the same demo is already loaded. */
  force?: boolean;
}

export interface EnsureDemoOrgResult {
  /** False when the same demo (seed and size) was already loaded and nothing was written. */
  loaded: boolean;
  meta: DemoOrgMeta;
  /** Milliseconds spent generating (pure, in memory). */
  generateMs?: number;
  load?: LoadDemoOrgResult;
}

/**
 * Loads the demo organisation of `options` unless the same one (seed, teams, repositories,
 * years) is already in the database: re-running `npm start` then writes nothing. A different
 * demo already loaded is deleted first (deleteDemoRows), so two demos never mix.
 */
export async function ensureDemoOrg(db: Db, options: EnsureDemoOrgOptions): Promise<EnsureDemoOrgResult> {
  const previous = (await getAppSetting(db, DEMO_ORG_SETTING)) as DemoOrgMeta | undefined;
  const same =
    previous !== undefined &&
    previous.seed === options.seed &&
    previous.teams === options.teams &&
    previous.repositories === options.repositories &&
    previous.years === options.years;
  if (same && !options.force) return { loaded: false, meta: previous };
  if (previous !== undefined) await deleteDemoRows(db, DEMO_OWNER, 'demo:', previous.teamSlugs ?? []);

  const started = performance.now();
  const org = generateDemoOrg(options);
  const generateMs = performance.now() - started;
  const meta: DemoOrgMeta = {
    seed: options.seed,
    teams: options.teams,
    repositories: options.repositories,
    years: options.years,
    end: options.end.toISOString(),
    teamSlugs: org.teams.map((t) => t.slug),
  };
  const load = await loadDemoOrg(db, org, meta, options);
  return { loaded: true, meta, generateMs, load };
}
