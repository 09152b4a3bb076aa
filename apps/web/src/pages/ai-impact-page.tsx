import { Link } from 'react-router-dom';
import { AdoptionCharts } from '../components/ai-impact/adoption-chart.tsx';
import { AiCaveats } from '../components/ai-impact/ai-caveats.tsx';
import { AiChangesList } from '../components/ai-impact/ai-changes-list.tsx';
import { BeforeAfterCard } from '../components/ai-impact/before-after-chart.tsx';
import { ComparisonTable } from '../components/ai-impact/comparison-table.tsx';
import { CopilotUsageCharts } from '../components/ai-impact/copilot-usage-chart.tsx';
import { FilterBar } from '../components/filters/filter-bar.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { QueryState } from '../components/metrics/query-state.tsx';
import { aiBandLabels } from '../lib/ai-impact-view.ts';
import { formatRatio } from '../lib/format.ts';
import { periodText } from '../lib/period.ts';
import { aiImpactRequest, useAiImpact } from '../queries/use-ai-impact.ts';

/**
 * "AI impact": how much of the work is AI-assisted (adoption per team), how AI-assisted PRs
 * compare with the others of the same team and period (with intervals and n, also within size
 * bands), each team before and after its adoption, and the PRs behind every group with their
 * evidence. The caveats come with the answer. Team level only: no person is named or ranked.
 */
export function AiImpactPage() {
  const { filters, search, ai, setAiView } = useDashboardFilters();
  const query = { from: filters.from, to: filters.to, granularity: filters.granularity };
  const impact = useAiImpact(query);
  const { csvUrl } = aiImpactRequest(query);
  return (
    <main className="page ai-impact-page">
      <div className="page-title">
        <h1>AI impact</h1>
        <Link className="no-print" to={`/ai-impact/board-pack?${search}`}>
          Board pack
        </Link>
      </div>
      <FilterBar />
      <QueryState query={impact}>
        {(data) => {
          const team = ai.team ? data.teams.find((t) => t.slug === ai.team) : undefined;
          const scope = team ?? {
            name: 'Organisation',
            comparison: data.comparison,
            adoption: data.adoption,
          };
          const metrics = ai.band
            ? (scope.comparison.bands.find((b) => b.band === ai.band)?.metrics ?? [])
            : scope.comparison.metrics;
          const period = periodText(data.period.from, data.period.to);
          return (
            <>
              <p className="lead" data-testid="ai-headline">
                {formatRatio(data.adoption.share)} of the {data.adoption.n} classified PRs merged in {period}{' '}
                carry an AI trace ({data.adoption.agent} by coding agents, {data.adoption.assisted} assisted;{' '}
                {data.adoption.unclassified} not yet classified).
              </p>
              <AiCaveats caveats={data.caveats} />

              <section aria-labelledby="ai-adoption-heading">
                <h2 id="ai-adoption-heading">Adoption</h2>
                <div className="chart-grid">
                  <AdoptionCharts impact={data} />
                </div>
                <h3>Copilot active users</h3>
                <div className="chart-grid">
                  <CopilotUsageCharts impact={data} />
                </div>
              </section>

              <section aria-labelledby="ai-comparison-heading">
                <h2 id="ai-comparison-heading">AI-assisted vs other PRs</h2>
                <div className="filter-bar no-print">
                  <label>
                    Scope{' '}
                    <select
                      value={ai.team ?? ''}
                      onChange={(e) =>
                        setAiView({ team: e.target.value || undefined, group: undefined, page: 1 })
                      }
                    >
                      <option value="">Organisation (pools teams)</option>
                      {data.teams.map((t) => (
                        <option key={t.slug} value={t.slug}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    PR size{' '}
                    <select
                      value={ai.band ?? ''}
                      onChange={(e) =>
                        setAiView({ band: (e.target.value || undefined) as typeof ai.band, page: 1 })
                      }
                    >
                      <option value="">All sizes</option>
                      {Object.entries(aiBandLabels).map(([key, label]) => (
                        <option key={key} value={key}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <a href={csvUrl} download>
                    CSV (every scope and band)
                  </a>
                </div>
                <p className="muted">
                  {scope.name}: {scope.adoption.agent + scope.adoption.assisted} AI-assisted and{' '}
                  {scope.adoption.none} other PRs. Intervals: 95 % percentile bootstrap,{' '}
                  {data.method.iterations} resamples, seed {data.method.seed}; fewer than{' '}
                  {data.method.minSamples} PRs on a side: not enough data.
                  {!team && ' The organisation pools teams; choose a team for a within-team comparison.'}
                </p>
                <ComparisonTable
                  metrics={metrics}
                  minSamples={data.method.minSamples}
                  labels={{ group: 'AI-assisted', baseline: 'No AI trace' }}
                  caption={`${scope.name} · ${ai.band ? aiBandLabels[ai.band] : 'all PR sizes'} · ${period}`}
                  onDrill={(side) => setAiView({ group: side === 'group' ? 'ai' : 'none', page: 1 })}
                />
              </section>

              {ai.group && (
                <AiChangesList
                  query={{
                    from: data.period.from,
                    to: data.period.to,
                    team: ai.team,
                    group: ai.group,
                    band: ai.band,
                    page: ai.page,
                  }}
                  onPage={(page) => setAiView({ page })}
                  onClose={() => setAiView({ group: undefined, page: 1 })}
                />
              )}

              <section aria-labelledby="ai-before-after-heading">
                <h2 id="ai-before-after-heading">Before and after adoption, per team</h2>
                <div className="chart-grid">
                  {(team ? [team] : data.teams).map((t) => (
                    <BeforeAfterCard
                      key={t.slug}
                      team={t}
                      adoptionShare={data.method.adoptionShare}
                      minSamples={data.method.minSamples}
                      period={period}
                      onDrill={(group) => setAiView({ team: t.slug, group, page: 1 })}
                    />
                  ))}
                </div>
              </section>
            </>
          );
        }}
      </QueryState>
    </main>
  );
}
