import { BusFactorChart } from './bus-factor-chart.tsx';
import { CycleTimeChart } from './cycle-time-chart.tsx';
import { HealthTiles } from './health-tiles.tsx';
import { PrSizeChart } from './pr-size-chart.tsx';
import { ReviewLoadChart } from './review-load-chart.tsx';
import { StuckPrs } from './stuck-prs.tsx';
import type { TeamHealthView } from './team-health-view.ts';
import { ThroughputChart } from './throughput-chart.tsx';

/** The team page's health section: the single-figure tiles, then one card per chart. */
export function HealthCharts(view: TeamHealthView) {
  return (
    <>
      <HealthTiles {...view} />
      <div className="chart-grid">
        <CycleTimeChart {...view} />
        <PrSizeChart {...view} />
        <ThroughputChart health={view.health} />
        <BusFactorChart {...view} />
        <ReviewLoadChart health={view.health} />
      </div>
      <StuckPrs team={view.team} period={view.period} search={view.search} />
    </>
  );
}
