import { healthSlide } from '../../lib/chart-export.ts';
import { formatNumber, formatRatio } from '../../lib/format.ts';
import { BarsChart } from '../charts/bar-chart.tsx';
import { ChartCard } from '../charts/chart-card.tsx';
import { Empty } from '../metrics/query-state.tsx';
import type { TeamHealthView } from './team-health-view.ts';

/**
 * Bins of reviews per person, sized to the period's counts (a week and a quarter differ tenfold):
 * one bin per count up to 4 reviews; else "0" and five equal ranges up to the largest count.
 */
export function reviewBins(counts: readonly number[]): { label: string; min: number; max: number }[] {
  const most = Math.max(0, ...counts);
  if (most < 5) return Array.from({ length: most + 1 }, (_, c) => ({ label: String(c), min: c, max: c }));
  const width = Math.ceil(most / 5);
  return [
    { label: '0', min: 0, max: 0 },
    ...Array.from({ length: 5 }, (_, i) => {
      const min = 1 + i * width;
      const max = Math.min(most, (i + 1) * width);
      return { label: min === max ? String(min) : `${min}–${max}`, min, max };
    }).filter((b) => b.min <= most),
  ];
}

/** The middle value of counts sorted largest first; null when there are none. */
function median(counts: readonly number[]): number | null {
  if (counts.length === 0) return null;
  const sorted = [...counts].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
}

/**
 * Review load as a team-level distribution: how many people gave 0, 1–2, 3–5… reviews in the
 * period (members who gave none included), with the median per person and the busiest
 * person's share. No names and no order of people: it shows whether reviewing is shared.
 */
export function ReviewLoadChart({ health }: Pick<TeamHealthView, 'health'>) {
  const load = health.reviewLoad;
  const counts = load.reviewsPerReviewer;
  const rows = reviewBins(counts).map((b) => ({
    reviews: b.label,
    people: counts.filter((c) => c >= b.min && c <= b.max).length,
  }));
  const mid = median(counts);
  return (
    <ChartCard
      title="Review load spread"
      className="review-load"
      subtitle={`${formatNumber(load.reviews)} reviews by ${formatNumber(counts.filter((c) => c > 0).length)} of ${formatNumber(counts.length)} people · median ${mid === null ? '—' : formatNumber(mid)} per person · busiest person's share ${formatRatio(load.busiestReviewerShare)}`}
      slide={healthSlide(
        health,
        'Review load spread',
        'people (team members and reviewers) by reviews given in the period',
        `n = ${formatNumber(load.reviews)} reviews by ${formatNumber(counts.length)} people`,
      )}
      csv={{
        header: ['reviews given (per person)', 'people (count)'],
        rows: rows.map((r) => [r.reviews, r.people]),
      }}
    >
      {counts.length === 0 ? (
        <Empty>No reviewers or members in this period.</Empty>
      ) : (
        <>
          <BarsChart
            data={rows}
            categoryKey="reviews"
            bars={[{ key: 'people', label: 'People' }]}
            unit="count"
            valueTitle="People"
            categoryTitle="Reviews given in the period"
            height={220}
          />
          <p className="muted">Reviews given in the period (x) by number of people (y).</p>
        </>
      )}
    </ChartCard>
  );
}
