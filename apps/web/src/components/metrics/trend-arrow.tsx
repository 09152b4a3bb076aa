import type { Trend } from '@stride/shared';
import { trendView } from '../../lib/format.ts';

/** Arrow + signed change vs the previous period, toned better/worse (with the word, not only colour). */
export function TrendArrow({
  trend,
  compact = false,
  value,
}: {
  trend: Trend;
  compact?: boolean;
  /** The current headline; null shows "no data in the period". */
  value?: number | null;
}) {
  const view = trendView(trend, value);
  return (
    <span className={`trend trend-${view.tone}`} title={view.label}>
      <span aria-hidden="true">{view.arrow}</span>
      {compact ? (
        <>
          <span className="trend-compact" aria-hidden="true">
            {view.tone === 'better' ? '✓' : view.tone === 'worse' ? '✗' : ''}
          </span>
          <span className="sr-only">{view.label}</span>
        </>
      ) : (
        <span className="trend-label"> {view.label.replace(' vs previous period', '')}</span>
      )}
    </span>
  );
}
