import type { ChangeView } from '../../lib/change.ts';

/**
 * Arrow + size of the change vs the previous period (pp for rates, % otherwise), toned
 * better/worse with the word, not only colour. `versus` names the previous period.
 */
export function TrendArrow({
  change,
  versus = 'the previous period',
  compact = false,
}: {
  change: ChangeView;
  /** The previous period, e.g. `2 Jul – 30 Sep 2026`. */
  versus?: string;
  compact?: boolean;
}) {
  const title = `${change.label} vs ${versus}`;
  return (
    <span
      className={`trend trend-${change.tone}`}
      title={title}
      data-direction={change.direction}
      data-tone={change.tone}
    >
      <span aria-hidden="true">{change.arrow}</span>
      {compact ? (
        <>
          <span className="trend-compact" aria-hidden="true">
            {change.text === '—' || change.text === 'unchanged' ? '' : ` ${change.text}`}
            {change.tone === 'better' ? ' ✓' : change.tone === 'worse' ? ' ✗' : ''}
          </span>
          <span className="sr-only">{title}</span>
        </>
      ) : (
        <span className="trend-label"> {change.label}</span>
      )}
    </span>
  );
}
