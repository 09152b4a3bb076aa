import { type Kysely, sql } from 'kysely';

/**
 * A team added, removed, renamed or re-slugged changes the DORA answers that name teams (the
 * all-teams answer lists every team) without changing a figure: such a change now adds a `names`
 * mark to `rollup_dirty`, so the DORA data version (`getDoraDataVersion`, the highest mark id)
 * changes and the API's answer cache computes afresh. Readers ignore `names` marks (no day is
 * recomputed from the raw tables) and `refreshRollups` consumes them like any mark (nothing is
 * rebuilt; the team tables' fingerprint decides as before). Row triggers with a `when`: the
 * config re-written identically at every boot adds no mark.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rollup_dirty drop constraint rollup_dirty_kind_check`.execute(db);
  await sql`alter table rollup_dirty add constraint rollup_dirty_kind_check
    check (kind in ('day', 'teams', 'all', 'names'))`.execute(db);
  await sql
    .raw(`
    create function rollup_mark_team_names() returns trigger language plpgsql as $fn$
    begin
      insert into rollup_dirty (kind) values ('names');
      return null;
    end $fn$`)
    .execute(db);
  await sql`create trigger rollup_mark_teams_insert_delete after insert or delete on teams
    for each row execute function rollup_mark_team_names()`.execute(db);
  await sql`create trigger rollup_mark_teams_update after update of slug, name on teams
    for each row when (old.slug is distinct from new.slug or old.name is distinct from new.name)
    execute function rollup_mark_team_names()`.execute(db);
  await sql`create trigger rollup_mark_teams_truncate after truncate on teams
    for each statement execute function rollup_mark_team_names()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const trigger of ['insert_delete', 'update', 'truncate']) {
    await sql.raw(`drop trigger rollup_mark_teams_${trigger} on teams`).execute(db);
  }
  await sql`drop function rollup_mark_team_names()`.execute(db);
  await sql`delete from rollup_dirty where kind = 'names'`.execute(db);
  await sql`alter table rollup_dirty drop constraint rollup_dirty_kind_check`.execute(db);
  await sql`alter table rollup_dirty add constraint rollup_dirty_kind_check
    check (kind in ('day', 'teams', 'all'))`.execute(db);
}
