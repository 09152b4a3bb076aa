import { subDays } from 'date-fns';
import { formatISO } from 'date-fns/formatISO';
import { doraMetricKeys, formatChange, formatDuration, formatNumber, formatRatio } from '../../lib/format.ts';
import { viewMetric } from '../../lib/metric-view.ts';
import { metricsQuery, periodText, retroPeriods } from '../../lib/period.ts';
import { useTeamDora } from '../../queries/use-team-dora.ts';
import { useTeamHealth } from '../../queries/use-team-health.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import { ErrorState, Loading } from './query-state.tsx';
import { TrendArrow } from './trend-arrow.tsx';

interface Row {
  label: string;
  before: number | null;
  since: number | null;
  fmt: (v: number | null) => string;
  /** Whether a higher value is better; null when neither. */
  higherIsBetter: boolean | null;
}

/**
 * "Since last retro": the period since the chosen retro date against the equal period before it,
 * for the DORA metrics and the team health signals. The retro date is kept in the URL (`retro`).
 */
export function RetroComparison({ team }: { team: string }) {
  const { filters, retro: chosenRetro, setRetro } = useDashboardFilters();
  const retro =
    chosenRetro ?? formatISO(subDays(new Date(`${filters.to}T00:00:00Z`), 14), { representation: 'date' });
  const periods = retroPeriods(retro, filters.to);
  const doraQuery = {
    ...metricsQuery(filters),
    from: periods.current.from,
    to: periods.current.to,
    granularity: 'week' as const,
  };
  const dora = useTeamDora(team, doraQuery);
  const since = useTeamHealth(team, periods.current);
  const before = useTeamHealth(team, periods.before);

  const rows: Row[] = [];
  if (dora.data) {
    for (const key of doraMetricKeys) {
      const view = viewMetric(dora.data.metrics, key);
      const unit = key === 'deploymentFrequency' ? 'count' : view.key.endsWith('Rate') ? 'ratio' : 'seconds';
      const fmt =
        unit === 'ratio'
          ? formatRatio
          : unit === 'seconds'
            ? formatDuration
            : (v: number | null) => formatNumber(v, 1);
      // The trend's previous value is the same statistic over the equal period before.
      const current =
        key === 'deploymentFrequency' ? dora.data.metrics.deploymentFrequency.value : view.value;
      rows.push({
        label: key === 'deploymentFrequency' ? 'Deployments' : view.label,
        before: view.trend.previous,
        since: current,
        fmt,
        higherIsBetter: key === 'deploymentFrequency',
      });
    }
  }
  if (since.data && before.data) {
    const s = since.data;
    const b = before.data;
    const push = (
      label: string,
      pick: (h: typeof s) => number | null,
      fmt: Row['fmt'],
      higherIsBetter: boolean | null,
    ) => rows.push({ label, before: pick(b), since: pick(s), fmt, higherIsBetter });
    push('Coding time p50', (h) => h.cycleTime.coding.p50, formatDuration, false);
    push('Pickup time p50', (h) => h.cycleTime.pickup.p50, formatDuration, false);
    push('Review time p50', (h) => h.cycleTime.review.p50, formatDuration, false);
    push('Deploy time p50', (h) => h.cycleTime.deploy.p50, formatDuration, false);
    push(
      'PR size p50 (lines)',
      (h) => h.prSize.p50,
      (v) => formatNumber(v),
      false,
    );
    push(
      'Merged PRs',
      (h) => h.throughput.mergedPrs,
      (v) => formatNumber(v),
      true,
    );
    push('Busiest reviewer share', (h) => h.reviewLoad.busiestReviewerShare, formatRatio, false);
    push(
      'Merged without review',
      (h) => h.reviewLoad.mergedWithoutReview,
      (v) => formatNumber(v),
      false,
    );
    push('Unplanned work', (h) => h.unplannedWork.ratio, formatRatio, false);
    push(
      'Incidents',
      (h) => h.incidentLoad.incidents,
      (v) => formatNumber(v),
      false,
    );
    push('Out-of-hours share', (h) => h.outOfHours.share, formatRatio, false);
  }
  const error = dora.error ?? since.error ?? before.error;
  const loading = dora.isPending || since.isPending || before.isPending;

  return (
    <section aria-labelledby="retro-heading" className="retro">
      <h2 id="retro-heading">Since last retro</h2>
      <label>
        Retro date{' '}
        <input
          type="date"
          value={retro}
          max={filters.to}
          onChange={(e) => e.target.value && setRetro(e.target.value)}
          data-testid="retro-date"
        />
      </label>{' '}
      <span className="muted">
        Since: {periodText(periods.current.from, periods.current.to)} · before:{' '}
        {periodText(periods.before.from, periods.before.to)}
      </span>
      {error ? (
        <ErrorState error={error} />
      ) : loading ? (
        <Loading />
      ) : (
        <ChartCard
          title="Since last retro"
          csv={{
            header: ['signal', 'before', 'since', 'change'],
            rows: rows.map((r) => [r.label, r.before, r.since, change(r)]),
          }}
        >
          <table className="retro-table" data-testid="retro-table">
            <thead>
              <tr>
                <th scope="col">Signal</th>
                <th scope="col">Before retro</th>
                <th scope="col">Since retro</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const c = change(r);
                const direction = c === null ? 'none' : c > 0 ? 'up' : c < 0 ? 'down' : 'flat';
                const improving =
                  c === null || c === 0 || r.higherIsBetter === null ? null : c > 0 === r.higherIsBetter;
                return (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td>{r.fmt(r.before)}</td>
                    <td>{r.fmt(r.since)}</td>
                    <td>
                      <TrendArrow trend={{ previous: r.before, change: c, direction, improving }} compact />{' '}
                      {formatChange(c)}
                      {improving === true ? ' (better)' : improving === false ? ' (worse)' : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ChartCard>
      )}
    </section>
  );
}

function change(row: Row): number | null {
  if (row.before === null || row.since === null || row.before === 0) return null;
  return (row.since - row.before) / row.before;
}
