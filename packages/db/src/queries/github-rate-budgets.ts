import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** A credential's budget of one GitHub rate-limit resource (`core` for REST, `graphql`). */
export interface GitHubRateBudgetKey {
  /** The credential's name (a digest or an installation id, never the secret). */
  credential: string;
  resource: 'core' | 'graphql';
}

/**
 * Takes `cost` (requests or points) from a credential's shared budget before a request is sent,
 * when what is left in the current window is known and more than `reserve`; a budget never
 * recorded, or whose window has passed, is not known and grants (the answer's headers will tell).
 * One statement, so workers of several processes never take the same last unit: a known budget
 * the update did not take from (used up, possibly by a concurrent taker this statement's snapshot
 * does not see yet) is refused, never read as unknown.
 * @returns `{ granted: true }`, or `{ granted: false, resetAt }`: wait until `resetAt`.
 */
export async function takeGitHubRateBudget(
  db: Db,
  key: GitHubRateBudgetKey,
  cost: number,
  reserve: number,
): Promise<{ granted: true } | { granted: false; resetAt: Date }> {
  const result = await sql<{ granted: boolean; reset_at: Date }>`
    with taken as (
      update github_rate_budgets set remaining = remaining - ${cost}, updated_at = now()
      where credential = ${key.credential} and resource = ${key.resource}
        and reset_at > now() and remaining - ${cost} >= ${reserve}
      returning true as granted, reset_at
    )
    select granted, reset_at from taken
    union all
    select false as granted, reset_at from github_rate_budgets
    where credential = ${key.credential} and resource = ${key.resource}
      and reset_at > now() and not exists (select 1 from taken)`.execute(db);
  const row = result.rows[0];
  return !row || row.granted ? { granted: true } : { granted: false, resetAt: new Date(row.reset_at) };
}

/**
 * Records what an answer's `x-ratelimit-remaining` / `x-ratelimit-reset` say is left: GitHub's
 * figure replaces the shared one within the same window (it counts every process's requests), a
 * later window replaces an earlier one, and an answer of an earlier window changes nothing.
 */
export async function recordGitHubRateBudget(
  db: Db,
  key: GitHubRateBudgetKey,
  remaining: number,
  resetAt: Date,
): Promise<void> {
  await db
    .insertInto('github_rate_budgets')
    .values({ ...key, remaining, reset_at: resetAt })
    .onConflict((oc) =>
      oc
        .columns(['credential', 'resource'])
        .doUpdateSet({ remaining, reset_at: resetAt, updated_at: sql`now()` })
        .where('github_rate_budgets.reset_at', '<=', resetAt),
    )
    .execute();
}
