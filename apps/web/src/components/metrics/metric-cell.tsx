import { Link } from 'react-router-dom';
import type { MetricView } from '../../lib/metric-view.ts';
import { Sparkline } from '../charts/sparkline.tsx';
import { LevelBadge } from './level-badge.tsx';
import { TrendArrow } from './trend-arrow.tsx';

/** One metric of one scope: value (a link to the drill-down), level, trend arrow and sparkline. */
export function MetricCell({ view, drillHref }: { view: MetricView; drillHref: string }) {
  return (
    <div className="metric-cell" data-metric={view.key}>
      <div className="metric-value-row">
        <Link to={drillHref} className="metric-value" title={`${view.detail}. Show the items behind it.`}>
          {view.text}
        </Link>
        <TrendArrow trend={view.trend} compact />
      </div>
      <div className="metric-meta-row">
        <LevelBadge level={view.level} />
        <Sparkline series={view.series} label={view.label} />
      </div>
    </div>
  );
}
