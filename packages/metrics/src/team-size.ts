/**
 * Team size band by members on the period's last day (docs/metrics.md, Team size):
 * under 4 fragile, 4-7 small, 8-11 medium, 12 and more large (consider splitting).
 */
export type SizeBand = 'fragile' | 'small' | 'medium' | 'large';

/** @throws RangeError when `members` is negative or not an integer */
export function teamSizeBand(members: number): SizeBand {
  if (!Number.isInteger(members) || members < 0) {
    throw new RangeError(`members must be a non-negative integer, got ${members}`);
  }
  if (members < 4) return 'fragile';
  if (members < 8) return 'small';
  if (members < 12) return 'medium';
  return 'large';
}

/**
 * Knowledge concentration (bus factor): the fewest authors who together made at least half of
 * the merged PRs. @param prsByAuthor merged PR count per author (any order)
 * @returns the count, or null when there were no PRs (n = 0)
 */
export function busFactor(prsByAuthor: readonly number[]): number | null {
  const counts = prsByAuthor.filter((c) => c > 0).sort((a, b) => b - a);
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total === 0) return null;
  let covered = 0;
  for (const [index, count] of counts.entries()) {
    covered += count;
    if (covered * 2 >= total) return index + 1;
  }
  return counts.length;
}
