import { sql } from 'kysely';
import type { Db } from '../connection.ts';

/** A merged PR stored without an AI class, with the raw GitHub payloads it was stored from. */
export interface UnclassifiedPullRequest {
  id: string;
  /** The PR payload as fetched (`raw_payloads`, kind `pull_request`). */
  payload: unknown;
  /** Its commit payloads (kind `pull_request_commit`); null when none is stored. */
  commits: unknown[] | null;
}

/**
 * Merged PRs with `ai_class` null that have a stored GitHub payload, in id order after `afterId`
 * (keyset paging), at most `limit`: what was collected before AI classification existed can be
 * classified from the payloads already fetched, without a request.
 */
export async function listUnclassifiedPullRequests(
  db: Db,
  input: { afterId?: string; limit: number },
): Promise<UnclassifiedPullRequest[]> {
  const { rows } = await sql<UnclassifiedPullRequest>`
    select pr.id::text as id, p.payload,
      (select jsonb_agg(c.payload order by c.id) from raw_payloads c
        where c.source = 'github' and c.kind = 'pull_request_commit'
          and c.external_id like pr.external_id || ':%') as commits
    from pull_requests pr
    join raw_payloads p on p.source = 'github' and p.kind = 'pull_request' and p.external_id = pr.external_id
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
