import type { NewCopilotMetricsDay } from '@stride/db';
import { z } from 'zod';
import { InvalidPayloadError } from './payload.ts';

// Field names: GitHub's Copilot usage metrics reports, NDJSON rows of the files linked by
// `GET /orgs/{org}/copilot/metrics/reports/{organization,users,user-teams}-1-day?day=`
// (https://docs.github.com/rest/copilot/copilot-usage-metrics; fields:
// https://docs.github.com/copilot/reference/copilot-usage-metrics/example-schema; the team join:
// https://docs.github.com/copilot/reference/copilot-usage-metrics/team-level-metrics).
const count = z.number().nonnegative();
const id = z.union([z.number(), z.string()]).transform(String);

/** The `{ download_links, report_day }` answer of a `.../copilot/metrics/reports/*-1-day` endpoint. */
export const copilotReportLinksSchema = z
  .object({ download_links: z.array(z.string().min(1)), report_day: z.iso.date().optional() })
  .loose();

/** One row of the per-user usage report (`users-1-day`); unknown fields are ignored. */
export const copilotUserReportRowSchema = z
  .object({
    user_id: id.optional(),
    user_login: z.string().optional(),
    day: z.iso.date().optional(),
    user_initiated_interaction_count: count.optional(),
    code_generation_activity_count: count.optional(),
    code_acceptance_activity_count: count.optional(),
    loc_suggested_to_add_sum: count.optional(),
    loc_added_sum: count.optional(),
    used_chat: z.boolean().optional(),
  })
  .loose();

/** One row of the user-teams report (`user-teams-1-day`): a user's membership of a team that day. */
export const copilotUserTeamRowSchema = z
  .object({
    user_id: id.optional(),
    user_login: z.string().optional(),
    team_id: id.optional(),
    slug: z.string().min(1),
  })
  .loose();

/** The row of the organisation report (`organization-1-day`): only `daily_active_users` is read. */
export const copilotOrganizationReportRowSchema = z.object({ daily_active_users: count.optional() }).loose();

/**
 * Parses an NDJSON report file (one JSON object a line; blank lines ignored) with `schema`.
 * @returns the parsed rows and the number of malformed lines skipped
 */
export function parseCopilotReportNdjson<T>(
  text: string,
  schema: z.ZodType<T>,
): { rows: T[]; skipped: number } {
  const rows: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      if (parsed.success) rows.push(parsed.data);
      else skipped += 1;
    } catch {
      skipped += 1;
    }
  }
  return { rows, skipped };
}

type UserRow = z.infer<typeof copilotUserReportRowSchema>;
type TeamRow = z.infer<typeof copilotUserTeamRowSchema>;

const keyOf = (r: { user_id?: string; user_login?: string }) =>
  r.user_id !== undefined ? `id:${r.user_id}` : r.user_login ? `login:${r.user_login.toLowerCase()}` : null;

/**
 * One day's Copilot usage of an organisation and its GitHub teams, aggregated at once from the
 * per-user report so that no per-person figure is kept (GitHub's "team level metrics" recipe: join
 * user-teams to users on the user, aggregate by team). Per scope: `total_active_users` users with a
 * usage row (the organisation's: the organisation report's `daily_active_users` when given);
 * `total_engaged_users` those with any code generation or user-initiated interaction;
 * `completions_engaged_users` with code generation; `chat_engaged_users` with `used_chat` (else
 * an interaction); `code_suggestions` / `code_acceptances` the sums of
 * `code_generation_activity_count` / `code_acceptance_activity_count`; `code_lines_suggested` /
 * `code_lines_accepted` of `loc_suggested_to_add_sum` / `loc_added_sum`. A member of two teams
 * counts in both. Only the GitHub teams of `githubTeams` (slugs) that appear in the user-teams
 * report get a row (null: every team).
 * @param day `YYYY-MM-DD` (UTC) the reports cover
 * @returns the organisation's row (`github_team` '') first, then one per team, sorted by slug
 * @throws InvalidPayloadError when `day` is not a date
 */
export function aggregateCopilotUsageReports(input: {
  org: string;
  day: string;
  users: readonly UserRow[];
  userTeams: readonly TeamRow[];
  organization?: { daily_active_users?: number } | null;
  githubTeams: ReadonlySet<string> | null;
}): NewCopilotMetricsDay[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day)) throw new InvalidPayloadError('copilot report day', input.day);
  const totals = (users: readonly UserRow[], activeUsers?: number): NewCopilotMetricsDay => {
    const n = (u: UserRow, k: keyof UserRow) => (typeof u[k] === 'number' ? (u[k] as number) : 0);
    const sum = (k: keyof UserRow) => users.reduce((s, u) => s + n(u, k), 0);
    return {
      org: input.org,
      github_team: '',
      day: input.day,
      total_active_users: activeUsers ?? users.length,
      total_engaged_users: users.filter(
        (u) => n(u, 'code_generation_activity_count') > 0 || n(u, 'user_initiated_interaction_count') > 0,
      ).length,
      completions_engaged_users: users.filter((u) => n(u, 'code_generation_activity_count') > 0).length,
      chat_engaged_users: users.filter((u) => u.used_chat ?? n(u, 'user_initiated_interaction_count') > 0)
        .length,
      code_suggestions: Math.round(sum('code_generation_activity_count')),
      code_acceptances: Math.round(sum('code_acceptance_activity_count')),
      code_lines_suggested: Math.round(sum('loc_suggested_to_add_sum')),
      code_lines_accepted: Math.round(sum('loc_added_sum')),
    };
  };
  // One usage row per user (a repeated row of the same user is summed into the first).
  const byUser = new Map<string, UserRow>();
  for (const u of input.users) {
    const key = keyOf(u);
    if (key === null) continue;
    const seen = byUser.get(key);
    if (!seen) byUser.set(key, { ...u });
    else
      for (const k of [
        'user_initiated_interaction_count',
        'code_generation_activity_count',
        'code_acceptance_activity_count',
        'loc_suggested_to_add_sum',
        'loc_added_sum',
      ] as const)
        seen[k] = (seen[k] ?? 0) + (u[k] ?? 0);
  }
  const members = new Map<string, Set<string>>();
  for (const m of input.userTeams) {
    if (input.githubTeams && !input.githubTeams.has(m.slug)) continue;
    const key = keyOf(m);
    if (key === null) continue;
    if (!members.has(m.slug)) members.set(m.slug, new Set());
    members.get(m.slug)!.add(key);
  }
  const rows = [totals([...byUser.values()], input.organization?.daily_active_users)];
  for (const slug of [...members.keys()].sort()) {
    const team = [...members.get(slug)!].flatMap((k): UserRow[] => {
      const u = byUser.get(k);
      return u ? [u] : [];
    });
    rows.push({ ...totals(team), github_team: slug });
  }
  return rows;
}
