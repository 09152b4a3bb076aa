import type { NewCopilotMetricsDay } from '@stride/db';
import { z } from 'zod';
import { InvalidPayloadError } from './payload.ts';

const count = z.number().int().nonnegative();
const language = z
  .object({
    name: z.string().optional(),
    total_engaged_users: count.optional(),
    total_code_suggestions: count.optional(),
    total_code_acceptances: count.optional(),
    total_code_lines_suggested: count.optional(),
    total_code_lines_accepted: count.optional(),
  })
  .loose();

/**
 * One element of `GET /orgs/{org}/copilot/metrics` or `/orgs/{org}/team/{team_slug}/copilot/metrics`
 * (schema `copilot-usage-metrics-day`, https://docs.github.com/rest/copilot/copilot-metrics):
 * `date`, `total_active_users`, `total_engaged_users`, and per feature (`copilot_ide_code_completions`
 * → `editors[]` → `models[]` → `languages[]` with suggestion/acceptance counts; `copilot_ide_chat`, ...),
 * each feature possibly null. Unknown fields are kept (GitHub adds some).
 */
export const copilotMetricsDaySchema = z
  .object({
    date: z.iso.date(),
    total_active_users: count.optional(),
    total_engaged_users: count.optional(),
    copilot_ide_code_completions: z
      .object({
        total_engaged_users: count.optional(),
        editors: z
          .array(
            z
              .object({
                name: z.string().optional(),
                models: z.array(z.object({ languages: z.array(language).optional() }).loose()).optional(),
              })
              .loose(),
          )
          .optional(),
      })
      .loose()
      .nullable()
      .optional(),
    copilot_ide_chat: z.object({ total_engaged_users: count.optional() }).loose().nullable().optional(),
  })
  .loose();

/**
 * A day of Copilot metrics → its row: users as GitHub counts them for the day; code suggestions,
 * acceptances and lines summed over every editor, model and language of code completions (the
 * top-level `languages[]` carries only engaged users, so it is not summed twice).
 * @param scope the organisation and GitHub team (`''`: the whole organisation) it was fetched for
 * @throws InvalidPayloadError when the payload is not a `copilot-usage-metrics-day`
 */
export function transformCopilotMetricsDay(
  payload: unknown,
  scope: { org: string; githubTeam: string },
): NewCopilotMetricsDay {
  const parsed = copilotMetricsDaySchema.safeParse(payload);
  if (!parsed.success)
    throw new InvalidPayloadError('copilot metrics day', parsed.error.issues[0]?.message ?? '');
  const day = parsed.data;
  const totals = { suggestions: 0, acceptances: 0, linesSuggested: 0, linesAccepted: 0 };
  for (const editor of day.copilot_ide_code_completions?.editors ?? [])
    for (const model of editor.models ?? [])
      for (const lang of model.languages ?? []) {
        totals.suggestions += lang.total_code_suggestions ?? 0;
        totals.acceptances += lang.total_code_acceptances ?? 0;
        totals.linesSuggested += lang.total_code_lines_suggested ?? 0;
        totals.linesAccepted += lang.total_code_lines_accepted ?? 0;
      }
  return {
    org: scope.org,
    github_team: scope.githubTeam,
    day: day.date,
    total_active_users: day.total_active_users ?? null,
    total_engaged_users: day.total_engaged_users ?? null,
    completions_engaged_users: day.copilot_ide_code_completions?.total_engaged_users ?? null,
    chat_engaged_users: day.copilot_ide_chat?.total_engaged_users ?? null,
    code_suggestions: totals.suggestions,
    code_acceptances: totals.acceptances,
    code_lines_suggested: totals.linesSuggested,
    code_lines_accepted: totals.linesAccepted,
  };
}
