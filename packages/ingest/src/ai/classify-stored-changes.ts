import { type Db, listUnclassifiedPullRequests, setPullRequestAiClasses } from '@stride/db';
import type { AiConfig } from '@stride/shared/config';
import { aiDetectionRulesFor, classifyPullRequestPayload } from './classify-pull-request.ts';

const BATCH = 500;

/**
 * Classifies merged PRs stored without an AI class from the raw payloads stored with them (PRs
 * collected before classification existed, or stored by a webhook first): no request to GitHub.
 * A PR without stored commits is classified only when its own fields decide it (else it stays
 * unclassified). Idempotent; runs after each collection.
 * @returns how many PRs got a class
 */
export async function classifyStoredChanges(db: Db, ai: AiConfig | undefined): Promise<number> {
  const rules = aiDetectionRulesFor(ai);
  let afterId: string | undefined;
  let classified = 0;
  for (;;) {
    const batch = await listUnclassifiedPullRequests(db, { afterId, limit: BATCH });
    if (batch.length === 0) return classified;
    afterId = batch.at(-1)!.id;
    const rows = batch.flatMap((pr) => {
      const c = classifyPullRequestPayload(pr.payload, pr.commits, rules);
      return c.ai_class === null ? [] : [{ id: pr.id, ...c, ai_class: c.ai_class }];
    });
    await setPullRequestAiClasses(db, rows);
    classified += rows.length;
  }
}
