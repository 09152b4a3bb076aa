import { Link } from 'react-router-dom';
import type { MetricView } from '../../lib/metric-view.ts';
import { type BucketSpan, completeBuckets } from '../../lib/partial-bucket.ts';
import { Sparkline } from '../charts/sparkline.tsx';
import { LevelBadge } from './level-badge.tsx';
import { TrendArrow } from './trend-arrow.tsx';

/**
 * One metric of one scope: value (a link to the drill-down), its change vs the previous period,
 * its sample size `n`, level ("too few" below the minimum sample) and sparkline.
 */
export function MetricCell({
  view,
  drillHref,
  span,
  versus,
}: {
  view: MetricView;
  drillHref: string;
  /** Period and granularity of the series: partial first/last buckets are left out of the sparkline. */
  span?: BucketSpan;
  /** The previous period compared with, e.g. `2 Jul – 30 Sep 2026`. */
  versus?: string;
}) {
  return (
    <div className="metric-cell" data-metric={view.key}>
      <div className="metric-value-row">
        <Link to={drillHref} className="metric-value" title={`${view.detail}. Show the items behind it.`}>
          {view.text}
        </Link>
        <TrendArrow change={view.change} versus={versus} compact />
      </div>
      <div className="metric-meta-row">
        <LevelBadge level={view.level} tooFew={view.tooFew} sample={view.sample} />
        <span className={`sample-n${view.tooFew ? ' too-few' : ''}`} data-testid="sample-n">
          n = {view.sample}
        </span>
        <Sparkline series={span ? completeBuckets(view.series, span) : view.series} label={view.label} />
      </div>
    </div>
  );
}
