import { Link } from 'react-router-dom';
import { AdoptionCharts } from '../components/ai-impact/adoption-chart.tsx';
import { AiCaveats } from '../components/ai-impact/ai-caveats.tsx';
import { adoptionText } from '../components/ai-impact/before-after-chart.tsx';
import { ComparisonTable } from '../components/ai-impact/comparison-table.tsx';
import { CopilotUsageCharts } from '../components/ai-impact/copilot-usage-chart.tsx';
import { useDashboardFilters } from '../components/filters/use-dashboard-filters.ts';
import { QueryState } from '../components/metrics/query-state.tsx';
import { aiDifferenceText, aiMetricLabels } from '../lib/ai-impact-view.ts';
import { formatRatio } from '../lib/format.ts';
import { periodText } from '../lib/period.ts';
import { useAiImpact } from '../queries/use-ai-impact.ts';
import { useSyncStatus } from '../queries/use-sync-status.ts';

/**
 * AI impact for a board meeting: print-ready pages (A4 landscape): adoption, the organisation's
 * comparison with intervals and n, each team's adoption date and before/after headline figures,
 * and the caveats on the first page.
 */
export function AiBoardPackPage() {
  const { filters, search } = useDashboardFilters();
  const impact = useAiImpact({ from: filters.from, to: filters.to, granularity: filters.granularity });
  const demo = useSyncStatus().data?.demo === true;
  return (
    <main className="board-pack ai-board-pack">
      <div className="no-print board-actions">
        <Link to={`/ai-impact?${search}`}>Back to AI impact</Link>{' '}
        <button type="button" onClick={() => window.print()}>
          Print / save as PDF
        </button>
      </div>
      <QueryState query={impact}>
        {(data) => {
          const period = periodText(data.period.from, data.period.to);
          return (
            <>
              <section className="board-page">
                <h1>AI impact · {period}</h1>
                {demo && <p className="demo-mark">Demo data</p>}
                <p className="lead">
                  {formatRatio(data.adoption.share)} of {data.adoption.n} classified PRs carry an AI trace (
                  {data.adoption.agent} agent, {data.adoption.assisted} assisted).
                </p>
                <AiCaveats caveats={data.caveats} />
                <AdoptionCharts impact={data} width={960} />
                <CopilotUsageCharts impact={data} width={960} />
              </section>
              <section className="board-page">
                <h2>AI-assisted vs other PRs · organisation (pools teams)</h2>
                <ComparisonTable
                  metrics={data.comparison.metrics}
                  minSamples={data.method.minSamples}
                  labels={{ group: 'AI-assisted', baseline: 'No AI trace' }}
                  caption={`Organisation · all PR sizes · ${period} · 95 % bootstrap intervals (${data.method.iterations} resamples)`}
                />
              </section>
              <section className="board-page">
                <h2>Teams: adoption and before/after</h2>
                <table className="board-table" data-testid="ai-board-teams">
                  <thead>
                    <tr>
                      <th scope="col">Team</th>
                      <th scope="col">AI share</th>
                      <th scope="col">Adoption</th>
                      <th scope="col">{aiMetricLabels.codingTime}, after − before</th>
                      <th scope="col">{aiMetricLabels.reviewTime}, after − before</th>
                      <th scope="col">{aiMetricLabels.failedDeploymentRate}, after − before</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.teams.map((t) => {
                      const m = (key: string) =>
                        t.beforeAfter.comparison?.metrics.find((x) => x.metric === key);
                      const cell = (key: string) => {
                        const x = m(key);
                        return x ? aiDifferenceText(x, data.method.minSamples) : '—';
                      };
                      return (
                        <tr key={t.slug}>
                          <th scope="row">{t.name}</th>
                          <td>
                            {formatRatio(t.adoption.share)} <span className="muted">(n {t.adoption.n})</span>
                          </td>
                          <td>{adoptionText(t, data.method.adoptionShare)}</td>
                          <td>{cell('codingTime')}</td>
                          <td>{cell('reviewTime')}</td>
                          <td>{cell('failedDeploymentRate')}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <p className="muted">
                  Definitions: docs/metrics.md, “AI impact”. Figures are for teams; no person is named or
                  ranked.
                </p>
              </section>
            </>
          );
        }}
      </QueryState>
    </main>
  );
}
