/** Who an open PR waits on (docs/metrics.md, stuck PRs). */
export type PullRequestWait = 'review' | 'author' | 'ci';
export const PULL_REQUEST_WAITS: readonly PullRequestWait[] = ['review', 'author', 'ci'];

/** What `pullRequestWaitingOn` reads of an open PR. */
export interface OpenPullRequestState {
  draft: boolean;
  /** State of the head commit's check runs; null when none are known. */
  ciState: 'success' | 'pending' | 'failure' | null;
  /** Reviewers (people or teams) GitHub lists as requested: asked and not yet reviewed. */
  requestedReviewers: number;
  /**
   * The reviewers' standing verdict: `CHANGES_REQUESTED` when any reviewer's latest verdict asks
   * for changes, else `APPROVED` when any approved, else null (no verdict yet).
   */
  verdict: 'APPROVED' | 'CHANGES_REQUESTED' | null;
}

/**
 * Who an open PR waits on, first rule that applies:
 * 1. a draft → the author (it is not ready);
 * 2. failing checks → the author (to fix them);
 * 3. checks still running → CI;
 * 4. reviewers requested (again) → review;
 * 5. changes requested → the author;
 * 6. approved → the author (to merge);
 * 7. otherwise (no review yet) → review.
 */
export function pullRequestWaitingOn(pr: OpenPullRequestState): PullRequestWait {
  if (pr.draft) return 'author';
  if (pr.ciState === 'failure') return 'author';
  if (pr.ciState === 'pending') return 'ci';
  if (pr.requestedReviewers > 0) return 'review';
  if (pr.verdict === 'CHANGES_REQUESTED') return 'author';
  if (pr.verdict === 'APPROVED') return 'author';
  return 'review';
}
