import type { ChangeItem } from '@stride/shared';

const WAIT_TEXT = { review: 'Review', author: 'Author', ci: 'CI' } as const;

/** Why an open PR waits on someone, in a few words (docs/metrics.md, stuck PRs). */
function waitReason(item: ChangeItem): string {
  if (item.draft) return 'draft';
  if (item.ciState === 'failure') return 'checks failing';
  if (item.ciState === 'pending') return 'checks running';
  if (item.requestedReviewers.length + item.requestedTeams.length > 0) return 'review requested';
  if (item.verdict === 'CHANGES_REQUESTED') return 'changes requested';
  if (item.verdict === 'APPROVED') return 'approved, not merged';
  return 'no review yet';
}

/** "Review", "Author" or "CI" with the reason, as a badge (`data-waiting-on` for tests and styles). */
export function WaitingOn({ item }: { item: ChangeItem }) {
  if (!item.waitingOn) return <>—</>;
  return (
    <span className={`wait-badge wait-${item.waitingOn}`} data-waiting-on={item.waitingOn}>
      {WAIT_TEXT[item.waitingOn]} <span className="muted">({waitReason(item)})</span>
    </span>
  );
}

/** Requested reviewers and teams (`@team`), or "none requested". */
export function requestedText(item: ChangeItem): string {
  const names = [...item.requestedReviewers, ...item.requestedTeams.map((t) => `@${t}`)];
  return names.length ? names.join(', ') : 'none requested';
}
