import { Link } from 'react-router-dom';
import type { MetricView } from '../../lib/metric-view.ts';
import { type BucketSpan, completeBuckets } from '../../lib/partial-bucket.ts';
import { Sparkline } from '../charts/sparkline.tsx';
import { LevelBadge } from './level-badge.tsx';
import { TrendArrow } from './trend-arrow.tsx';

/** One metric of one scope: value (a link to the drill-down), level, trend arrow and sparkline. */
export function MetricCell({
  view,
  drillHref,
  span,
}: {
  view: MetricView;
  drillHref: string;
  /** Period and granularity of the series: partial first/last buckets are left out of the sparkline. */
  span?: BucketSpan;
}) {
  return (
    <div className="metric-cell" data-metric={view.key}>
      <div className="metric-value-row">
        <Link to={drillHref} className="metric-value" title={`${view.detail}. Show the items behind it.`}>
          {view.text}
        </Link>
        <TrendArrow trend={view.trend} value={view.value} compact />
      </div>
      <div className="metric-meta-row">
        <LevelBadge level={view.level} />
        <Sparkline series={span ? completeBuckets(view.series, span) : view.series} label={view.label} />
      </div>
    </div>
  );
}
