import { mulberry32 } from '@stride/metrics';
import { adoptionRampDays, adoptionStories } from '../model/ai-adoption.ts';
import type { OrgModel } from '../model/org-model-types.ts';

const DAY = 86_400_000;
/** GitHub gives a day's metrics only when the org or team had five or more active Copilot licences that day. */
export const COPILOT_MIN_LICENCES = 5;

/** One `copilot-usage-metrics-day` (https://docs.github.com/rest/copilot/copilot-metrics). */
export type CopilotMetricsDayPayload = Record<string, unknown> & { date: string };

/** The Copilot metrics of an organisation model: `byTeam.get('')` the organisation's days, else a GitHub team's (slug). */
export interface CopilotMetricsData {
  org: string;
  byTeam: Map<string, CopilotMetricsDayPayload[]>;
}

const hash = (seed: number, key: string) => {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return mulberry32(h)();
};

interface DayCounts {
  licensed: number;
  active: number;
  engaged: number;
  chat: number;
  /** Per editor: suggestions, acceptances, lines suggested, lines accepted. */
  editors: {
    name: string;
    language: string;
    engaged: number;
    s: number;
    a: number;
    ls: number;
    la: number;
  }[];
}

function payloadOf(date: string, c: DayCounts): CopilotMetricsDayPayload {
  const langs = new Map<string, number>();
  for (const e of c.editors) langs.set(e.language, (langs.get(e.language) ?? 0) + e.engaged);
  return {
    date,
    total_active_users: c.active,
    total_engaged_users: c.engaged,
    copilot_ide_code_completions: {
      total_engaged_users: c.engaged,
      languages: [...langs].map(([name, engaged]) => ({ name, total_engaged_users: engaged })),
      editors: c.editors.map((e) => ({
        name: e.name,
        total_engaged_users: e.engaged,
        models: [
          {
            name: 'default',
            is_custom_model: false,
            custom_model_training_date: null,
            total_engaged_users: e.engaged,
            languages: [
              {
                name: e.language,
                total_engaged_users: e.engaged,
                total_code_suggestions: e.s,
                total_code_acceptances: e.a,
                total_code_lines_suggested: e.ls,
                total_code_lines_accepted: e.la,
              },
            ],
          },
        ],
      })),
    },
    copilot_ide_chat: {
      total_engaged_users: c.chat,
      editors: [
        {
          name: 'vscode',
          total_engaged_users: c.chat,
          models: [
            {
              name: 'default',
              is_custom_model: false,
              custom_model_training_date: null,
              total_engaged_users: c.chat,
              total_chats: c.chat * 4,
              total_chat_insertion_events: c.chat,
              total_chat_copy_events: c.chat * 2,
            },
          ],
        },
      ],
    },
    copilot_dotcom_chat: { total_engaged_users: 0, models: [] },
    copilot_dotcom_pull_requests: { total_engaged_users: 0, repositories: [] },
  };
}

/**
 * Copilot metrics consistent with the model's AI adoption (`options.aiAdoption`,
 * model/ai-adoption.ts): a team gets Copilot licences from its adoption date, ramping over the
 * ramp days to cover most of its members (more where its AI share is higher); teams that never
 * adopt, and every team of a model without AI adoption, have none. Licensed members are
 * active most weekdays and rarely at weekends; suggestions and acceptances follow the engaged
 * users (acceptance rate 22–32 %). Days with fewer than five licences are absent for the team, as
 * at GitHub; the organisation's day sums every team. Deterministic per seed, team and day.
 */
export function copilotMetricsOfModel(model: Pick<OrgModel, 'config' | 'options'>): CopilotMetricsData {
  const { end, days, seed } = model.options;
  const start = end.getTime() - days * DAY;
  const org = model.options.owner ?? 'stride-demo';
  const byTeam = new Map<string, CopilotMetricsDayPayload[]>([['', []]]);
  const firstDay = Math.floor(start / DAY) * DAY;
  const adoption = model.options.aiAdoption;
  const stories = adoption ? adoptionStories(adoption) : [];
  const rampDays = adoption ? adoptionRampDays(adoption) : 1;
  const teams = model.config.map((team, index) => ({
    team,
    story: stories.length ? stories[index % stories.length] : null,
  }));
  for (const { team } of teams) byTeam.set(team.slug, []);
  for (let t = firstDay; t + DAY <= end.getTime(); t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekday = new Date(t).getUTCDay() % 6 !== 0;
    const orgDay: DayCounts = { licensed: 0, active: 0, engaged: 0, chat: 0, editors: [] };
    for (const { team, story } of teams) {
      if (!story) continue;
      const ramp = Math.min(1, Math.max(0, (t - (start + story.at * days * DAY)) / (rampDays * DAY)));
      if (ramp <= 0) continue;
      const members = team.members.filter(
        (m) => (!m.from || m.from <= date) && (!m.to || date <= m.to),
      ).length;
      const licensed = Math.round(members * Math.min(1, story.share + 0.35) * (0.4 + 0.6 * ramp));
      if (licensed === 0) continue;
      const h = hash(seed, `${team.slug}/${date}`);
      const active = Math.min(licensed, Math.round(licensed * (weekday ? 0.72 + 0.25 * h : 0.12 * h)));
      const engaged = Math.round(active * (0.7 + 0.25 * h));
      const s = engaged * Math.round(60 + 80 * h);
      const a = Math.round(s * (0.22 + 0.1 * hash(seed, `${team.slug}/${date}/a`)));
      const jetbrains = Math.round(engaged * 0.3);
      const split = (x: number) => [x - Math.round(x * 0.3), Math.round(x * 0.3)] as const;
      const [sv, sj] = split(s);
      const [av, aj] = split(a);
      const counts: DayCounts = {
        licensed,
        active,
        engaged,
        chat: Math.round(engaged * 0.5),
        editors: [
          {
            name: 'vscode',
            language: 'typescript',
            engaged: engaged - jetbrains,
            s: sv,
            a: av,
            ls: sv * 2,
            la: av * 2,
          },
          { name: 'JetBrains', language: 'kotlin', engaged: jetbrains, s: sj, a: aj, ls: sj * 2, la: aj * 2 },
        ],
      };
      if (licensed >= COPILOT_MIN_LICENCES) byTeam.get(team.slug)!.push(payloadOf(date, counts));
      orgDay.licensed += licensed;
      orgDay.active += active;
      orgDay.engaged += engaged;
      orgDay.chat += counts.chat;
      for (const e of counts.editors) {
        const same = orgDay.editors.find((x) => x.name === e.name);
        if (!same) orgDay.editors.push({ ...e });
        else for (const k of ['engaged', 's', 'a', 'ls', 'la'] as const) same[k] += e[k];
      }
    }
    if (orgDay.licensed >= COPILOT_MIN_LICENCES) byTeam.get('')!.push(payloadOf(date, orgDay));
  }
  return { org, byTeam };
}

/**
 * One day's Copilot usage metrics reports of an organisation model, as the rows of GitHub's NDJSON
 * report files (https://docs.github.com/rest/copilot/copilot-usage-metrics; fields as in
 * https://docs.github.com/copilot/reference/copilot-usage-metrics/example-schema and
 * .../team-level-metrics): `organization` (one row: `day`, `organization_id`, `daily_active_users`
 * and the day's activity sums), `users` (one row per user active that day: `user_id`,
 * `user_login`, `code_generation_activity_count`, `code_acceptance_activity_count`,
 * `user_initiated_interaction_count`, `loc_suggested_to_add_sum`, `loc_added_sum`, `used_chat`,
 * `used_agent`, `totals_by_feature`) and `userTeams` (one row per (user, team) membership that day:
 * `user_id`, `user_login`, `day`, `organization_id`, `team_id`, `slug`).
 */
export interface CopilotUsageReportsDay {
  organization: Record<string, unknown>[];
  users: Record<string, unknown>[];
  userTeams: Record<string, unknown>[];
}

/** The organisation id the fake serves in its Copilot usage reports. */
export const COPILOT_REPORTS_ORG_ID = 4_200_001;

const userIdOf = (login: string) => 1_000_000 + Math.floor(hash(0, login) * 8_000_000);

/**
 * Per-user Copilot usage of the model, consistent with its AI adoption (as copilotMetricsOfModel):
 * from a team's adoption date, a ramping share of its members holds a licence; a licensed person is
 * active on most weekdays and few weekend days (deterministic per seed, login and day), with code
 * generation, acceptance (22–32 %) and chat counts. @returns the reports of `day` (`YYYY-MM-DD`),
 * or null when the day is outside the model's period
 */
export function copilotUsageReportsOfModel(
  model: Pick<OrgModel, 'config' | 'options'>,
  day: string,
): CopilotUsageReportsDay | null {
  const { end, days, seed } = model.options;
  const start = end.getTime() - days * DAY;
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(t) || t < Math.floor(start / DAY) * DAY || t + DAY > end.getTime()) return null;
  const adoption = model.options.aiAdoption;
  const stories = adoption ? adoptionStories(adoption) : [];
  const rampDays = adoption ? adoptionRampDays(adoption) : 1;
  const weekday = new Date(t).getUTCDay() % 6 !== 0;
  const licensed = new Set<string>();
  const userTeams: Record<string, unknown>[] = [];
  model.config.forEach((team, index) => {
    const members = team.members
      .filter((m) => m.github && (!m.from || m.from <= day) && (!m.to || day <= m.to))
      .map((m) => m.github!)
      .sort();
    for (const login of members)
      userTeams.push({
        user_id: userIdOf(login),
        user_login: login,
        day,
        organization_id: COPILOT_REPORTS_ORG_ID,
        team_id: 7_000 + index,
        slug: team.slug,
      });
    const story = stories.length ? stories[index % stories.length] : null;
    if (!story) return;
    const ramp = Math.min(1, Math.max(0, (t - (start + story.at * days * DAY)) / (rampDays * DAY)));
    if (ramp <= 0) return;
    const n = Math.round(members.length * Math.min(1, story.share + 0.35) * (0.4 + 0.6 * ramp));
    for (const login of members.slice(0, n)) licensed.add(login);
  });
  const users: Record<string, unknown>[] = [];
  for (const login of [...licensed].sort()) {
    const h = hash(seed, `${login}/${day}`);
    if (h > (weekday ? 0.85 : 0.1)) continue;
    const generated = Math.round(10 + 60 * hash(seed, `${login}/${day}/g`));
    const accepted = Math.round(generated * (0.22 + 0.1 * hash(seed, `${login}/${day}/a`)));
    const c = hash(seed, `${login}/${day}/c`);
    const interactions = c < 0.5 ? Math.round(1 + 12 * c) : 0;
    users.push({
      day,
      organization_id: COPILOT_REPORTS_ORG_ID,
      user_id: userIdOf(login),
      user_login: login,
      user_initiated_interaction_count: interactions,
      code_generation_activity_count: generated,
      code_acceptance_activity_count: accepted,
      loc_suggested_to_add_sum: generated * 3,
      loc_suggested_to_delete_sum: 0,
      loc_added_sum: accepted * 2,
      loc_deleted_sum: 0,
      used_agent: false,
      used_chat: interactions > 0,
      totals_by_feature: [
        {
          feature: 'code_completion',
          user_initiated_interaction_count: 0,
          code_generation_activity_count: generated,
          code_acceptance_activity_count: accepted,
          loc_suggested_to_add_sum: generated * 3,
          loc_suggested_to_delete_sum: 0,
          loc_added_sum: accepted * 2,
          loc_deleted_sum: 0,
        },
      ],
    });
  }
  const sum = (k: string) => users.reduce((n, u) => n + (u[k] as number), 0);
  const organization = [
    {
      day,
      organization_id: COPILOT_REPORTS_ORG_ID,
      daily_active_users: users.length,
      user_initiated_interaction_count: sum('user_initiated_interaction_count'),
      code_generation_activity_count: sum('code_generation_activity_count'),
      code_acceptance_activity_count: sum('code_acceptance_activity_count'),
      loc_suggested_to_add_sum: sum('loc_suggested_to_add_sum'),
      loc_added_sum: sum('loc_added_sum'),
    },
  ];
  return { organization, users, userTeams };
}
