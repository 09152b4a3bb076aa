/**
 * Sample sizes shown beside every figure (docs/metrics.md, "Minimum sample"): a level needs at
 * least `MIN_SAMPLE_SIZE` items behind it, and a chart point with fewer is drawn weaker.
 */
export const MIN_SAMPLE_SIZE = 5;

/** Whether `n` items are too few to judge a level or a bucket on (n below MIN_SAMPLE_SIZE). */
export function isTooFew(n: number): boolean {
  return n < MIN_SAMPLE_SIZE;
}

/** What `n` counts, singular and plural: `1 incident`, `3 deployments`. */
export type SampleNoun = readonly [singular: string, plural: string];

export const sampleNouns = {
  deployments: ['deployment', 'deployments'],
  changes: ['change', 'changes'],
  incidents: ['incident', 'incidents'],
  prs: ['PR', 'PRs'],
  issues: ['resolved issue', 'resolved issues'],
  reviews: ['review', 'reviews'],
  commits: ['commit', 'commits'],
} as const satisfies Record<string, SampleNoun>;

/** `n` with its noun, e.g. `1 incident`, `1,234 deployments`. */
export function sampleText(n: number, noun: SampleNoun): string {
  return `${counts.format(n)} ${n === 1 ? noun[0] : noun[1]}`;
}

// One formatter for every n (`toLocaleString` builds one per call; the overview shows hundreds).
const counts = new Intl.NumberFormat('en-US');
