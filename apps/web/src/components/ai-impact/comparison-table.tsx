import type { AiComparison, AiMetricComparison } from '@stride/shared';
import {
  aiDifferenceText,
  aiDifferenceVerdict,
  aiMetricLabels,
  formatAiValue,
} from '../../lib/ai-impact-view.ts';

const verdictText = {
  better: 'lower (better)',
  worse: 'higher (worse)',
  unclear: 'no clear difference',
} as const;

function Side({ m, side }: { m: AiMetricComparison; side: 'group' | 'baseline' }) {
  const s = m[side];
  return (
    <td>
      {formatAiValue(m.unit, s.value)}
      {s.p90 !== null && <span className="muted"> · p90 {formatAiValue(m.unit, s.p90)}</span>}
      <span className="muted"> · n {s.n}</span>
    </td>
  );
}

/**
 * The comparison table: each figure for both groups (p50 with p90 and n, or mean / share with n),
 * the difference with its 95 % interval or "not enough data", and what the interval says.
 * `onDrill(side)` opens the PRs behind a column.
 */
export function ComparisonTable({
  metrics,
  minSamples,
  labels,
  caption,
  onDrill,
}: {
  metrics: AiComparison['metrics'];
  minSamples: number;
  labels: { group: string; baseline: string };
  caption: string;
  onDrill?: (side: 'group' | 'baseline') => void;
}) {
  return (
    <table className="ai-table" data-testid="ai-comparison-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">
            {labels.group}
            {onDrill && (
              <button type="button" className="link-button no-print" onClick={() => onDrill('group')}>
                PRs
              </button>
            )}
          </th>
          <th scope="col">
            {labels.baseline}
            {onDrill && (
              <button type="button" className="link-button no-print" onClick={() => onDrill('baseline')}>
                PRs
              </button>
            )}
          </th>
          <th scope="col">Difference (95 % CI)</th>
          <th scope="col">Reading</th>
        </tr>
      </thead>
      <tbody>
        {metrics.map((m) => {
          const verdict = aiDifferenceVerdict(m);
          return (
            <tr key={m.metric} data-metric={m.metric}>
              <th scope="row">
                {aiMetricLabels[m.metric]}
                <span className="muted"> ({m.statistic === 'median' ? 'p50' : m.statistic})</span>
              </th>
              <Side m={m} side="group" />
              <Side m={m} side="baseline" />
              <td className={m.enoughData ? '' : 'muted'}>{aiDifferenceText(m, minSamples)}</td>
              <td className={verdict ? `verdict-${verdict}` : 'muted'}>
                {verdict ? verdictText[verdict] : '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
