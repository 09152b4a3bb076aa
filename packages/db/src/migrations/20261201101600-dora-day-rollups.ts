import { type Kysely, sql } from 'kysely';

/**
 * DORA rollups (docs/metrics.md, "How figures are served"): `dora_day_rollups` holds, per UTC day
 * x team x repository, the counts and the sorted samples the five DORA metrics are computed from,
 * so the API sums and merges days instead of joining the raw tables at request time.
 * - `team_id = 0` rows are the org (each item once, whatever its teams); other rows are a team's
 *   (an item in every team it belongs to, as the per-team figures count it);
 * - `repository_id = 0` holds incidents without a repository;
 * - deployments by `deployed_at`, changes (lead times) by their deployment's `deployed_at` and
 *   their own repository, caused incidents (recovery times) by `resolved_at`;
 * - `lead_seconds`, `recovery_seconds`: every sample value (float8 seconds, the exact values the
 *   raw statements compute), sorted, so percentiles stay `percentile_cont`-exact.
 *
 * `rollup_dirty` is the queue of what changed since the rollups were built, filled by statement
 * triggers (transition tables) on every table a figure reads: `day` (a UTC day of a repository;
 * `repository_id = 0`: incidents without one), `teams` (team memberships, repositories or Jira
 * projects changed), `all` (everything: a TRUNCATE, a default-branch change, or never built).
 * Readers compute dirty days from the raw tables (so a figure is exact between a write and the
 * refresh); `refreshRollups` (after `deriveLinks`) rebuilds them and empties the queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table dora_day_rollups (
      day date not null,
      team_id bigint not null,
      repository_id bigint not null,
      deployments integer not null default 0,
      failed integer not null default 0,
      unplanned integer not null default 0,
      lead_seconds float8[] not null default '{}',
      lead_commit integer not null default 0,
      lead_time integer not null default 0,
      recovery_seconds float8[] not null default '{}',
      primary key (team_id, day, repository_id)
    )`.execute(db);
  await sql`create index dora_day_rollups_day_repository_idx on dora_day_rollups (day, repository_id)`.execute(
    db,
  );

  await sql`
    create table rollup_dirty (
      id bigserial primary key,
      kind text not null check (kind in ('day', 'teams', 'all')),
      day date,
      repository_id bigint
    )`.execute(db);
  await sql`
    create table rollup_state (
      id integer primary key check (id = 1),
      teams_fingerprint text not null,
      built_at timestamptz not null default now()
    )`.execute(db);
  // Nothing is built yet: every read computes from the raw tables until the first refresh.
  await sql`insert into rollup_dirty (kind) values ('all')`.execute(db);

  // Reads by deployment time over every repository (the rollup refresh and the on-the-fly days).
  await sql`create index deployments_deployed_idx on deployments (deployed_at) where is_production and deployed_at is not null`.execute(
    db,
  );

  // --- triggers: mark the (day, repository) pairs a write can change -----------------------------
  const changed = (cols: string[]) =>
    `(${cols.map((c) => `n.${c}`).join(', ')}) is distinct from (${cols.map((c) => `o.${c}`).join(', ')})`;
  const depCols = ['repository_id', 'is_production', 'deployed_at', 'rolled_back', 'is_unplanned'];
  // A deployment's own day, and the day its changes' lead times fall on (their repository).
  const depMarks = (rows: string) => `
    select (x.deployed_at at time zone 'UTC')::date, x.repository_id from ${rows} x where x.deployed_at is not null
    union select (x.deployed_at at time zone 'UTC')::date, pr.repository_id from ${rows} x
      join deployment_changes dc on dc.deployment_id = x.id join pull_requests pr on pr.id = dc.pull_request_id
      where x.deployed_at is not null`;
  const prCols = [
    'repository_id',
    'merged_at',
    'base_branch',
    'first_commit_at',
    'author_is_bot',
    'author_login',
  ];
  const prMarks = (rows: string) => `
    select (d.deployed_at at time zone 'UTC')::date, x.repository_id from ${rows} x
      join deployment_changes dc on dc.pull_request_id = x.id join deployments d on d.id = dc.deployment_id
      where d.deployed_at is not null`;
  const dcMarks = (rows: string) => `
    select (d.deployed_at at time zone 'UTC')::date, pr.repository_id from ${rows} x
      join deployments d on d.id = x.deployment_id join pull_requests pr on pr.id = x.pull_request_id
      where d.deployed_at is not null`;
  const incCols = [
    'repository_id',
    'team_id',
    'jira_project_key',
    'started_at',
    'resolved_at',
    'caused_by_deployment_id',
  ];
  // An incident's recovery day, and the day of the deployment it makes failed.
  const incMarks = (rows: string) => `
    select (x.resolved_at at time zone 'UTC')::date, coalesce(x.repository_id, 0) from ${rows} x
      where x.resolved_at is not null and x.caused_by_deployment_id is not null
    union select (d.deployed_at at time zone 'UTC')::date, d.repository_id from ${rows} x
      join deployments d on d.id = x.caused_by_deployment_id where d.deployed_at is not null`;

  const markTrigger = async (table: string, cols: string[], marks: (rows: string) => string) => {
    const insert = (rows: string) =>
      `insert into rollup_dirty (kind, day, repository_id) select distinct 'day', m.day, m.repository_id
       from (${marks(rows)}) m(day, repository_id);`;
    await sql
      .raw(`
      create function rollup_mark_${table}() returns trigger language plpgsql as $fn$
      begin
        if tg_op = 'INSERT' then
          ${insert('new_rows')}
        elsif tg_op = 'DELETE' then
          ${insert('old_rows')}
        else
          ${insert(`(select o.* from old_rows o join new_rows n on n.id = o.id where ${changed(cols)})`)}
          ${insert(`(select n.* from old_rows o join new_rows n on n.id = o.id where ${changed(cols)})`)}
        end if;
        return null;
      end $fn$`)
      .execute(db);
    for (const [event, refs] of [
      ['insert', 'new table as new_rows'],
      ['update', 'old table as old_rows new table as new_rows'],
      ['delete', 'old table as old_rows'],
    ] as const) {
      await sql
        .raw(
          `create trigger rollup_mark_${table}_${event} after ${event} on ${table}
           referencing ${refs} for each statement execute function rollup_mark_${table}()`,
        )
        .execute(db);
    }
  };
  await markTrigger('deployments', depCols, depMarks);
  await markTrigger('pull_requests', prCols, prMarks);
  await markTrigger('incidents', incCols, incMarks);

  // deployment_changes has no id: its key is pull_request_id.
  await sql
    .raw(`
    create function rollup_mark_deployment_changes() returns trigger language plpgsql as $fn$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into rollup_dirty (kind, day, repository_id) select distinct 'day', m.day, m.repository_id
        from (${dcMarks('new_rows')}) m(day, repository_id);
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        insert into rollup_dirty (kind, day, repository_id) select distinct 'day', m.day, m.repository_id
        from (${dcMarks('old_rows')}) m(day, repository_id);
      end if;
      return null;
    end $fn$`)
    .execute(db);
  for (const [event, refs] of [
    ['insert', 'new table as new_rows'],
    ['update', 'old table as old_rows new table as new_rows'],
    ['delete', 'old table as old_rows'],
  ] as const) {
    await sql
      .raw(
        `create trigger rollup_mark_deployment_changes_${event} after ${event} on deployment_changes
         referencing ${refs} for each statement execute function rollup_mark_deployment_changes()`,
      )
      .execute(db);
  }

  // Team tables: who belongs where changes every team's rows (the refresh compares a fingerprint,
  // so re-writing the same config at boot rebuilds nothing).
  await sql
    .raw(`
    create function rollup_mark_teams() returns trigger language plpgsql as $fn$
    begin
      insert into rollup_dirty (kind) values ('teams');
      return null;
    end $fn$`)
    .execute(db);
  for (const table of ['team_memberships', 'team_repositories', 'team_jira_projects']) {
    await sql
      .raw(
        `create trigger rollup_mark_${table} after insert or update or delete or truncate on ${table}
         for each statement execute function rollup_mark_teams()`,
      )
      .execute(db);
  }

  // A TRUNCATE of a raw table, or a repository's default branch changing (which PRs are changes):
  // everything is rebuilt.
  await sql
    .raw(`
    create function rollup_mark_all() returns trigger language plpgsql as $fn$
    begin
      insert into rollup_dirty (kind) values ('all');
      return null;
    end $fn$`)
    .execute(db);
  for (const table of ['deployments', 'pull_requests', 'deployment_changes', 'incidents', 'repositories']) {
    await sql
      .raw(
        `create trigger rollup_mark_${table}_truncate after truncate on ${table}
         for each statement execute function rollup_mark_all()`,
      )
      .execute(db);
  }
  await sql
    .raw(
      `create trigger rollup_mark_repositories_branch after update of default_branch on repositories
       for each row when (old.default_branch is distinct from new.default_branch)
       execute function rollup_mark_all()`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['deployments', 'pull_requests', 'incidents', 'deployment_changes']) {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await sql.raw(`drop trigger if exists rollup_mark_${table}_${event} on ${table}`).execute(db);
    }
    await sql.raw(`drop function if exists rollup_mark_${table}()`).execute(db);
  }
  for (const table of ['team_memberships', 'team_repositories', 'team_jira_projects']) {
    await sql.raw(`drop trigger if exists rollup_mark_${table} on ${table}`).execute(db);
  }
  await sql`drop trigger if exists rollup_mark_repositories_truncate on repositories`.execute(db);
  await sql`drop trigger if exists rollup_mark_repositories_branch on repositories`.execute(db);
  await sql`drop function if exists rollup_mark_teams()`.execute(db);
  await sql`drop function if exists rollup_mark_all()`.execute(db);
  await sql`drop index if exists deployments_deployed_idx`.execute(db);
  await sql`drop table rollup_state`.execute(db);
  await sql`drop table rollup_dirty`.execute(db);
  await sql`drop table dora_day_rollups`.execute(db);
}
