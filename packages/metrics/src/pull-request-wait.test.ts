import { describe, expect, it } from 'vitest';
import { type OpenPullRequestState, pullRequestWaitingOn } from './pull-request-wait.ts';

const open: OpenPullRequestState = { draft: false, ciState: null, requestedReviewers: 0, verdict: null };

describe('pullRequestWaitingOn', () => {
  it('waits on review when nobody has reviewed yet, or reviewers are requested', () => {
    expect(pullRequestWaitingOn(open)).toBe('review');
    expect(pullRequestWaitingOn({ ...open, ciState: 'success', requestedReviewers: 2 })).toBe('review');
    // Re-requested after changes were asked for: the reviewer's turn again.
    expect(pullRequestWaitingOn({ ...open, requestedReviewers: 1, verdict: 'CHANGES_REQUESTED' })).toBe(
      'review',
    );
  });
  it('waits on the author for a draft, failing checks, requested changes or an approval to merge', () => {
    expect(pullRequestWaitingOn({ ...open, draft: true, requestedReviewers: 1 })).toBe('author');
    expect(pullRequestWaitingOn({ ...open, ciState: 'failure', requestedReviewers: 1 })).toBe('author');
    expect(pullRequestWaitingOn({ ...open, verdict: 'CHANGES_REQUESTED' })).toBe('author');
    expect(pullRequestWaitingOn({ ...open, verdict: 'APPROVED', ciState: 'success' })).toBe('author');
  });
  it('waits on CI while checks run', () => {
    expect(pullRequestWaitingOn({ ...open, ciState: 'pending', requestedReviewers: 1 })).toBe('ci');
  });
});
