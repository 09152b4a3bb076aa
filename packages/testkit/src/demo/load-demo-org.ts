import { type Db, setAppSetting, upsertCopilotMetricsDays } from '@stride/db';
import { transformCopilotMetricsDay } from '@stride/ingest';
import { copilotMetricsOfModel } from '../adapters/github-copilot-metrics.ts';
import type { OrgModel } from '../model/org-model-types.ts';
import type { DemoOrg } from '../presets/size-presets.ts';
import {
  type LoadOrgRowsOptions,
  type LoadOrgRowsResult,
  loadOrgModel,
  loadOrgRows,
} from '../rows/load-org-rows.ts';

/** app_settings keys written by the demo: `demo` = true marks the data as demo in the UI and API. */
export const DEMO_SETTING = 'demo';
/** app_settings key holding the generator options of the loaded demo (seed, size, end). */
export const DEMO_ORG_SETTING = 'demo_org';

export interface DemoOrgMeta {
  seed: number;
  teams: number;
  repositories: number;
  years: number;
  /** Volume the demo was generated with (human PRs per team per week), when not the default. */
  prsPerTeamWeek?: number;
  /** ISO instant the generated history ends at. */
  end: string;
  /** Slugs of the generated teams (removed with the demo when another one replaces it). */
  teamSlugs?: string[];
}

export type LoadDemoOrgOptions = Pick<
  LoadOrgRowsOptions,
  'batchSize' | 'attributionWindowDays' | 'onProgress'
>;
export type LoadDemoOrgResult = Pick<LoadOrgRowsResult, 'rows' | 'total' | 'seconds'>;

/**
 * Writes a generated demo organisation with the kit's one loader (`loadOrgRows` for collected
 * rows, `loadOrgModel` streaming a model per repository: batched idempotent upserts, then
 * `deriveLinks` over the demo's repositories; a model's Copilot metrics days, copilotMetricsOfModel),
 * then marks the database as demo
 * (`app_settings.demo = true`, `demo_org = meta`).
 *
 * @throws Error when a row names a repository, PR or Jira issue the organisation does not contain.
 */
export async function loadDemoOrg(
  db: Db,
  org: DemoOrg | OrgModel,
  meta: DemoOrgMeta,
  options: LoadDemoOrgOptions = {},
): Promise<LoadDemoOrgResult> {
  const { rows, total, seconds } =
    'activity' in org ? await loadOrgModel(db, org, options) : await loadOrgRows(db, org, options);
  if ('activity' in org) {
    // Copilot usage consistent with the adoption story, as a daily collection would have stored it.
    const copilot = copilotMetricsOfModel(org);
    const days = [...copilot.byTeam].flatMap(([githubTeam, list]) =>
      list.map((d) => transformCopilotMetricsDay(d, { org: copilot.org, githubTeam })),
    );
    for (let i = 0; i < days.length; i += 1000) await upsertCopilotMetricsDays(db, days.slice(i, i + 1000));
  }
  await setAppSetting(db, DEMO_SETTING, true);
  await setAppSetting(db, DEMO_ORG_SETTING, meta);
  return { rows, total, seconds };
}
