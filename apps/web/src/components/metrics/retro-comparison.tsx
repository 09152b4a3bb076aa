import type { TeamHealth } from '@stride/shared';
import { Link } from 'react-router-dom';
import { type ChangeUnit, describeChange, periodLabel } from '../../lib/change.ts';
import type { AnyFigureFilters } from '../../lib/dashboard-url.ts';
import { drillHref, metricDrillFilters } from '../../lib/drill.ts';
import {
  type DrillKind,
  doraMetricInfo,
  doraMetricKeys,
  formatNumber,
  formatValue,
} from '../../lib/format.ts';
import { viewMetric } from '../../lib/metric-view.ts';
import { metricsQuery, periodText, resolveRetroDate, retroPeriods } from '../../lib/period.ts';
import { type SampleNoun, sampleNouns, sampleText } from '../../lib/sample.ts';
import { useTeamDora } from '../../queries/use-team-dora.ts';
import { useTeamHealth } from '../../queries/use-team-health.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { useDashboardFilters } from '../filters/use-dashboard-filters.ts';
import { ErrorState, Loading } from './query-state.tsx';
import { TrendArrow } from './trend-arrow.tsx';

interface Side {
  value: number | null;
  /** Items the value was computed from. */
  n: number;
}

interface Row {
  label: string;
  before: Side;
  since: Side;
  unit: ChangeUnit;
  noun: SampleNoun;
  /** Which direction is an improvement; null when neither. */
  better: 'higher' | 'lower' | null;
  /** The items behind the figure (each side links to its own period's list); none for Jira-only signals. */
  drill?: { kind: DrillKind; filters?: AnyFigureFilters };
}

/** Formats a row's value: counts as whole numbers (deployments, PRs, lines), else by unit. */
function formatSide(row: Row, value: number | null): string {
  return row.unit === 'count' ? formatNumber(value) : formatValue(row.unit, value);
}

function changeOf(row: Row) {
  return describeChange({
    unit: row.unit,
    previous: row.before.value,
    current: row.since.value,
    better: row.better,
    format: (v) => formatSide(row, v),
  });
}

/**
 * "Since last retro": the period since the chosen retro date against the equal period before it,
 * for the DORA metrics and the team health signals, each side with its n. The retro date is kept
 * in the URL (`retro`).
 */
export function RetroComparison({ team }: { team: string }) {
  const { filters, search, retro: chosenRetro, setRetro } = useDashboardFilters();
  const retro = resolveRetroDate(chosenRetro ?? null, filters.to);
  const periods = retroPeriods(retro, filters.to);
  const doraQuery = (period: { from: string; to: string }) => ({
    ...metricsQuery(filters),
    from: period.from,
    to: period.to,
    granularity: 'week' as const,
  });
  const dora = useTeamDora(team, doraQuery(periods.current));
  // The period before, on its own, for the n of each figure there.
  const doraBefore = useTeamDora(team, doraQuery(periods.before));
  const since = useTeamHealth(team, { ...periods.current, granularity: 'week' });
  const before = useTeamHealth(team, { ...periods.before, granularity: 'week' });

  const rows: Row[] = [];
  if (dora.data && doraBefore.data) {
    for (const key of doraMetricKeys) {
      const now = viewMetric(dora.data.metrics, key);
      const then = viewMetric(doraBefore.data.metrics, key);
      const frequency = key === 'deploymentFrequency';
      // Deployments are compared as counts (both periods have the same length).
      const pick = (m: typeof dora.data.metrics, view: typeof now) =>
        frequency ? m.deploymentFrequency.value : view.value;
      rows.push({
        label: frequency ? 'Deployments' : now.label,
        before: { value: pick(doraBefore.data.metrics, then), n: then.n },
        since: { value: pick(dora.data.metrics, now), n: now.n },
        unit: frequency ? 'count' : doraMetricInfo[key].unit,
        noun: now.noun,
        better: frequency ? 'higher' : 'lower',
        drill: { kind: doraMetricInfo[key].drill, filters: metricDrillFilters[key] },
      });
    }
  }
  if (since.data && before.data) {
    const s = since.data;
    const b = before.data;
    const push = (
      label: string,
      pick: (h: TeamHealth) => Side,
      unit: ChangeUnit,
      noun: SampleNoun,
      better: Row['better'],
      drill?: Row['drill'],
    ) => rows.push({ label, before: pick(b), since: pick(s), unit, noun, better, drill });
    for (const phase of ['coding', 'pickup', 'review', 'deploy'] as const) {
      push(
        `${phase[0]!.toUpperCase()}${phase.slice(1)} time p50`,
        (h) => ({ value: h.cycleTime[phase].p50, n: h.cycleTime[phase].n }),
        'seconds',
        sampleNouns.prs,
        'lower',
        { kind: 'changes' },
      );
    }
    push(
      'PR size p50 (lines)',
      (h) => ({ value: h.prSize.p50, n: h.prSize.n }),
      'count',
      sampleNouns.prs,
      'lower',
      { kind: 'changes' },
    );
    push(
      'Merged PRs',
      (h) => ({ value: h.throughput.mergedPrs, n: h.throughput.mergedPrs }),
      'count',
      sampleNouns.prs,
      'higher',
      { kind: 'changes' },
    );
    push(
      'Busiest reviewer share',
      (h) => ({ value: h.reviewLoad.busiestReviewerShare, n: h.reviewLoad.reviews }),
      'ratio',
      sampleNouns.reviews,
      'lower',
    );
    push(
      'Merged without review',
      (h) => ({ value: h.reviewLoad.mergedWithoutReview, n: h.throughput.mergedPrs }),
      'count',
      sampleNouns.prs,
      'lower',
      { kind: 'changes', filters: { reviewed: false } },
    );
    push(
      'Unplanned work',
      (h) => ({ value: h.unplannedWork.ratio, n: h.unplannedWork.resolved }),
      'ratio',
      sampleNouns.issues,
      'lower',
    );
    push(
      'Incidents',
      (h) => ({ value: h.incidentLoad.incidents, n: h.incidentLoad.incidents }),
      'count',
      sampleNouns.incidents,
      'lower',
      { kind: 'incidents' },
    );
    push(
      'Out-of-hours share',
      (h) => ({ value: h.outOfHours.share, n: h.outOfHours.commits }),
      'ratio',
      sampleNouns.commits,
      'lower',
    );
  }
  const error = dora.error ?? doraBefore.error ?? since.error ?? before.error;
  const loading = dora.isPending || doraBefore.isPending || since.isPending || before.isPending;

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
        Since: {periodText(periods.current.from, periods.current.to)} · compared with the same number of days
        before: <span data-testid="retro-before">{periodLabel(periods.before)}</span>
      </span>
      {error ? (
        <ErrorState error={error} />
      ) : loading ? (
        <Loading />
      ) : (
        <ChartCard
          title="Since last retro"
          csv={{
            header: ['signal', 'before', 'before_n', 'since', 'since_n', 'change'],
            rows: rows.map((r) => [
              r.label,
              r.before.value,
              r.before.n,
              r.since.value,
              r.since.n,
              changeOf(r).label,
            ]),
          }}
        >
          <div className="table-scroll">
            <table className="retro-table" data-testid="retro-table">
              <thead>
                <tr>
                  <th scope="col">Signal</th>
                  <th scope="col">Before retro ({periodLabel(periods.before)})</th>
                  <th scope="col">Since retro ({periodLabel(periods.current)})</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const change = changeOf(r);
                  return (
                    <tr key={r.label} data-signal={r.label}>
                      <th scope="row">{r.label}</th>
                      <td>
                        <SideValue
                          row={r}
                          side={r.before}
                          period={periods.before}
                          team={team}
                          search={search}
                        />
                      </td>
                      <td>
                        <SideValue
                          row={r}
                          side={r.since}
                          period={periods.current}
                          team={team}
                          search={search}
                        />
                      </td>
                      <td className="retro-change">
                        <TrendArrow change={change} versus={periodLabel(periods.before)} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </ChartCard>
      )}
    </section>
  );
}

/** One side of a retro row: its value (a link to the items behind it in that period) and its n. */
function SideValue({
  row,
  side,
  period,
  team,
  search,
}: {
  row: Row;
  side: Side;
  period: { from: string; to: string };
  team: string;
  search: string;
}) {
  const text = formatSide(row, side.value);
  return (
    <>
      {row.drill ? (
        <Link
          to={drillHref(row.drill.kind, { team }, period, search, row.drill.filters)}
          title={`The ${sampleText(side.n, row.noun)} behind this figure, ${periodLabel(period)}`}
        >
          {text}
        </Link>
      ) : (
        text
      )}{' '}
      <span className="sample-n">n = {sampleText(side.n, row.noun)}</span>
    </>
  );
}
