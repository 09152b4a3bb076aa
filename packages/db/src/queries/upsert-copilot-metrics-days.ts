import type { Insertable } from 'kysely';
import type { Db } from '../connection.ts';
import type { CopilotMetricsDaysTable } from '../schema.ts';

export type NewCopilotMetricsDay = Insertable<CopilotMetricsDaysTable>;

/**
 * Stores days of Copilot metrics, idempotently on (org, github_team, day): a day fetched again
 * (GitHub may restate it) replaces the stored one. @returns rows written
 */
export async function upsertCopilotMetricsDays(
  db: Db,
  rows: readonly NewCopilotMetricsDay[],
): Promise<number> {
  if (rows.length === 0) return 0;
  await db
    .insertInto('copilot_metrics_days')
    .values(rows.map((r) => ({ ...r, fetched_at: new Date() })))
    .onConflict((oc) =>
      oc.columns(['org', 'github_team', 'day']).doUpdateSet((eb) => ({
        total_active_users: eb.ref('excluded.total_active_users'),
        total_engaged_users: eb.ref('excluded.total_engaged_users'),
        completions_engaged_users: eb.ref('excluded.completions_engaged_users'),
        chat_engaged_users: eb.ref('excluded.chat_engaged_users'),
        code_suggestions: eb.ref('excluded.code_suggestions'),
        code_acceptances: eb.ref('excluded.code_acceptances'),
        code_lines_suggested: eb.ref('excluded.code_lines_suggested'),
        code_lines_accepted: eb.ref('excluded.code_lines_accepted'),
        fetched_at: eb.ref('excluded.fetched_at'),
      })),
    )
    .execute();
  return rows.length;
}
