import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** A merged PR stored without an AI class, with the raw GitHub payloads it was stored from. */
export interface UnclassifiedPullRequest {
  id: string;
  /**
   * Which raw payload `payload` is: `pull_request` (REST: the PR as `GET /pulls` gives it) or
   * `pull_request_graphql` (the GraphQL path's answer for the PR with its parts, its commits
   * among them: the caller turns it into REST shapes).
   */
  kind: 'pull_request' | 'pull_request_graphql';
  payload: unknown;
  /** REST only: its commit payloads (kind `pull_request_commit`); null when none is stored, and for GraphQL. */
  commits: unknown[] | null;
}

/**
 * Merged PRs with `ai_class` null that have a stored GitHub payload (REST `pull_request`, else the
 * GraphQL path's `pull_request_graphql`), in id order after `afterId` (keyset paging), at most
 * `limit`: what was collected before AI classification existed can be classified from the
 * payloads already fetched, without a request.
 */
export async function listUnclassifiedPullRequests(
  db: Db,
  input: { afterId?: string; limit: number },
): Promise<UnclassifiedPullRequest[]> {
  const { rows } = await sql<UnclassifiedPullRequest>`
    select pr.id::text as id, p.kind, p.payload,
      case when p.kind = 'pull_request' then
        (select jsonb_agg(c.payload order by c.id) from raw_payloads c
          where c.source = 'github' and c.kind = 'pull_request_commit'
            and c.external_id like pr.external_id || ':%') end as commits
    from pull_requests pr
    cross join lateral (
      -- a PR collected both ways: the REST payload (with its commit payloads) first
      select r.kind, r.payload from raw_payloads r
      where r.source = 'github' and r.kind in ('pull_request', 'pull_request_graphql')
        and r.external_id = pr.external_id
      order by r.kind = 'pull_request' desc
      limit 1) p
    where pr.ai_class is null and pr.merged_at is not null
      and pr.id > ${input.afterId ?? '0'}::bigint
    order by pr.id
    limit ${input.limit}`.execute(db);
  return rows;
}

/** Sets the AI class, evidence (JSON text) and revert refs of stored PRs by id. */
export async function setPullRequestAiClasses(
  db: Db,
  rows: readonly {
    id: string;
    ai_class: 'agent' | 'assisted' | 'none';
    ai_evidence: string;
    revert_refs: string[];
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`update pull_requests pr set ai_class = v.ai_class, ai_evidence = v.ai_evidence::jsonb,
      revert_refs = case when cardinality(pr.revert_refs) = 0 then v.revert_refs else pr.revert_refs end
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id bigint, ai_class text, ai_evidence text, revert_refs text[])
    where pr.id = v.id and pr.ai_class is null`.execute(db);
}
