import { sql } from 'kysely';
import type { Db } from '../connection.ts';
import type { NewJiraIssue, NewJiraIssueTransition } from '../schema.ts';
import { fillExternalIds } from './fill-external-ids.ts';

/**
 * Inserts or updates Jira issues on their Jira id; idempotent. The newer state wins: a row older
 * than the stored one by Jira's `updated` (`source_updated_at`) changes nothing.
 * @returns our id by Jira id, for every row sent (changed or kept).
 */
export async function upsertJiraIssues(db: Db, rows: readonly NewJiraIssue[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const result = await db
    .insertInto('jira_issues')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .column('external_id')
        .doUpdateSet((eb) => ({
          key: eb.ref('excluded.key'),
          project_key: eb.ref('excluded.project_key'),
          summary: eb.ref('excluded.summary'),
          issue_type_id: eb.ref('excluded.issue_type_id'),
          issue_type_name: eb.ref('excluded.issue_type_name'),
          classification: eb.ref('excluded.classification'),
          status_name: eb.ref('excluded.status_name'),
          status_category: eb.ref('excluded.status_category'),
          labels: eb.ref('excluded.labels'),
          assignee_account_id: eb.ref('excluded.assignee_account_id'),
          created_at: eb.ref('excluded.created_at'),
          resolved_at: eb.ref('excluded.resolved_at'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
          url: eb.ref('excluded.url'),
        }))
        .where(sql<boolean>`excluded.source_updated_at >= jira_issues.source_updated_at`),
    )
    .returning(['id', 'external_id'])
    .execute();
  for (const row of result) ids.set(row.external_id, row.id);
  await fillExternalIds(db, 'jira_issues', rows, ids);
  return ids;
}

/** Inserts status transitions from Jira changelogs; a history already stored is left as is. */
export async function upsertJiraIssueTransitions(
  db: Db,
  rows: readonly NewJiraIssueTransition[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('jira_issue_transitions')
    .values([...rows])
    .onConflict((oc) => oc.columns(['jira_issue_id', 'external_id']).doNothing())
    .execute();
}
