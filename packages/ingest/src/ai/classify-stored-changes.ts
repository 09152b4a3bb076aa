import { type Db, listUnclassifiedPullRequests, setPullRequestAiClasses } from '@stride/db';
import type { AiConfig } from '@stride/shared/config';
import { aiDetectionRulesFor, classifyPullRequestPayload } from './classify-pull-request.ts';

const BATCH = 500;

/**
 * Turns a stored GraphQL PR answer (`raw_payloads` kind `pull_request_graphql`) into the REST
 * shapes the classifier reads: the PR (`GET /pulls/{n}`) and its commits (`GET /pulls/{n}/commits`,
 * null when unknown). @throws nothing: an unreadable payload gives null (the PR stays unclassified).
 */
export type GraphqlPullRequestReader = (
  payload: unknown,
) => { payload: unknown; commits: unknown[] | null } | null;

/**
 * Classifies merged PRs stored without an AI class from the raw payloads stored with them (PRs
 * collected before classification existed, or stored by a webhook first): no request to GitHub.
 * REST payloads are read as stored; the GraphQL path's (`github.history: graphql`) through
 * `readGraphql` (the collector's GraphQL-to-REST shapes). A PR without stored commits is
 * classified only when its own fields decide it (else it stays unclassified). Idempotent; runs
 * after each collection.
 * @returns how many PRs got a class
 */
export async function classifyStoredChanges(
  db: Db,
  ai: AiConfig | undefined,
  readGraphql: GraphqlPullRequestReader,
): Promise<number> {
  const rules = aiDetectionRulesFor(ai);
  let afterId: string | undefined;
  let classified = 0;
  for (;;) {
    const batch = await listUnclassifiedPullRequests(db, { afterId, limit: BATCH });
    if (batch.length === 0) return classified;
    afterId = batch.at(-1)!.id;
    const rows = batch.flatMap((pr) => {
      const read = pr.kind === 'pull_request_graphql' ? readGraphql(pr.payload) : pr;
      if (!read) return [];
      const c = classifyPullRequestPayload(read.payload, read.commits, rules);
      return c.ai_class === null ? [] : [{ id: pr.id, ...c, ai_class: c.ai_class }];
    });
    await setPullRequestAiClasses(db, rows);
    classified += rows.length;
  }
}
