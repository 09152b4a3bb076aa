import type { DoraSummary } from '@stride/shared';
import { periodLabel } from '../../lib/change.ts';
import { MIN_SAMPLE_SIZE } from '../../lib/sample.ts';

const DAY_MS = 86_400_000;

/**
 * Names the period the changes (arrows) compare with: the period of the same length just before
 * (docs/metrics.md, "Previous period"), so "This quarter" never silently compares with 62 days.
 */
export function ComparedWith({ summary }: { summary: Pick<DoraSummary, 'period' | 'previousPeriod'> }) {
  const days = Math.round(
    (Date.parse(summary.previousPeriod.to) - Date.parse(summary.previousPeriod.from)) / DAY_MS,
  );
  return (
    <p className="muted compared-with" data-testid="compared-with">
      {periodLabel(summary.period)} vs <strong>{periodLabel(summary.previousPeriod)}</strong> (the {days}{' '}
      {days === 1 ? 'day' : 'days'} before). Rates change in percentage points (pp), other figures in %. A
      level needs at least {MIN_SAMPLE_SIZE} items; below, it reads “too few”.
    </p>
  );
}
