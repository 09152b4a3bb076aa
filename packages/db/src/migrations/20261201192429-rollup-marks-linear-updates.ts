import { type Kysely, sql } from 'kysely';

/**
 * The rollup marking triggers of UPDATE statements (`20261201101600-dora-day-rollups`) found the
 * changed rows by joining the statement's old and new transition tables on `id`: transition
 * tables have no index, and the plan it got was quadratic in the rows updated (an incident
 * attribution of 26,720 rows ran > 8 min in its trigger; a deployment-flags update of 100,000
 * rows about a minute). Here the changed rows come from one hash aggregation of both tables
 * grouped by id and the watched columns: a row whose watched columns did not change forms one
 * group of two, and a changed row gives its old and its new version as groups of one. Linear in
 * the rows updated; the same marks as before.
 */
const TABLES: { table: string; cols: string[]; marks: (rows: string) => string }[] = [
  {
    table: 'deployments',
    cols: ['repository_id', 'is_production', 'deployed_at', 'rolled_back', 'is_unplanned'],
    marks: (rows) => `
    select (x.deployed_at at time zone 'UTC')::date, x.repository_id from ${rows} x where x.deployed_at is not null
    union select (x.deployed_at at time zone 'UTC')::date, pr.repository_id from ${rows} x
      join deployment_changes dc on dc.deployment_id = x.id join pull_requests pr on pr.id = dc.pull_request_id
      where x.deployed_at is not null`,
  },
  {
    table: 'pull_requests',
    cols: ['repository_id', 'merged_at', 'base_branch', 'first_commit_at', 'author_is_bot', 'author_login'],
    marks: (rows) => `
    select (d.deployed_at at time zone 'UTC')::date, x.repository_id from ${rows} x
      join deployment_changes dc on dc.pull_request_id = x.id join deployments d on d.id = dc.deployment_id
      where d.deployed_at is not null`,
  },
  {
    table: 'incidents',
    cols: [
      'repository_id',
      'team_id',
      'jira_project_key',
      'started_at',
      'resolved_at',
      'caused_by_deployment_id',
    ],
    marks: (rows) => `
    select (x.resolved_at at time zone 'UTC')::date, coalesce(x.repository_id, 0) from ${rows} x
      where x.resolved_at is not null and x.caused_by_deployment_id is not null
    union select (d.deployed_at at time zone 'UTC')::date, d.repository_id from ${rows} x
      join deployments d on d.id = x.caused_by_deployment_id where d.deployed_at is not null`,
  },
];

const insertMarks = (marks: string) =>
  `insert into rollup_dirty (kind, day, repository_id) select distinct 'day', m.day, m.repository_id
   from (${marks}) m(day, repository_id);`;

async function defineTriggerFunction(
  db: Kysely<unknown>,
  table: string,
  updated: string,
  marks: (rows: string) => string,
) {
  await sql
    .raw(`
    create or replace function rollup_mark_${table}() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        ${insertMarks(marks('new_rows'))}
      elsif tg_op = 'DELETE' then
        ${insertMarks(marks('old_rows'))}
      else
        ${updated}
      end if;
      return null;
    end $fn$`)
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { table, cols, marks } of TABLES) {
    const list = ['id', ...cols].join(', ');
    const changedVersions = `(select ${list} from (select ${list} from old_rows union all select ${list} from new_rows) v
      group by ${list} having count(*) = 1)`;
    await defineTriggerFunction(db, table, insertMarks(marks(changedVersions)), marks);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table, cols, marks } of TABLES) {
    const changed = `(${cols.map((c) => `n.${c}`).join(', ')}) is distinct from (${cols.map((c) => `o.${c}`).join(', ')})`;
    const updated = `${insertMarks(marks(`(select o.* from old_rows o join new_rows n on n.id = o.id where ${changed})`))}
        ${insertMarks(marks(`(select n.* from old_rows o join new_rows n on n.id = o.id where ${changed})`))}`;
    await defineTriggerFunction(db, table, updated, marks);
  }
}
