import { type Kysely, sql } from 'kysely';

/**
 * AI impact: each merged PR's classification (`agent`, `assisted`, `none`; null = not known,
 * e.g. stored from a webhook before its commits were fetched) with its evidence, and what it
 * reverts (`#N` PR numbers and commit SHAs from git's and GitHub's revert bodies). Commit
 * messages are not stored, so both are computed at ingest from the payloads the collector
 * already fetches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pull_requests
    add column ai_class text check (ai_class in ('agent', 'assisted', 'none')),
    add column ai_evidence jsonb not null default '[]'::jsonb,
    add column revert_refs text[] not null default '{}'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pull_requests drop column ai_class, drop column ai_evidence, drop column revert_refs`.execute(
    db,
  );
}
