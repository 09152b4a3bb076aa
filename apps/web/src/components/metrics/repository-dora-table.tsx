import { drillHref, metricDrillFilters } from '../../lib/drill.ts';
import { doraMetricInfo, doraMetricKeys } from '../../lib/format.ts';
import { viewMetric } from '../../lib/metric-view.ts';
import { useRepositoriesDora } from '../../queries/use-repository-dora.ts';
import { MetricCell } from './metric-cell.tsx';
import { ErrorState, Loading } from './query-state.tsx';

/** The five DORA metrics of each repository a team owns, each figure drilling down by repository. */
export function RepositoryDoraTable({
  repositories,
  query,
  period,
  search,
}: {
  repositories: readonly string[];
  query: Record<string, string>;
  period: { from: string; to: string };
  search: string;
}) {
  const results = useRepositoriesDora(repositories, query);
  if (repositories.length === 0) return null;
  return (
    <section aria-labelledby="repos-heading">
      <h2 id="repos-heading">DORA metrics by repository</h2>
      <div className="table-scroll">
        <table className="dora-table" data-testid="repository-table">
          <thead>
            <tr>
              <th scope="col">Repository</th>
              {doraMetricKeys.map((key) => (
                <th scope="col" key={key} title={doraMetricInfo[key].definition}>
                  {doraMetricInfo[key].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {repositories.map((repository, i) => {
              const result = results[i]!;
              return (
                <tr key={repository} data-repository={repository}>
                  <th scope="row">
                    <a href={`https://github.com/${repository}`} target="_blank" rel="noreferrer">
                      {repository} <span aria-hidden="true">↗</span>
                    </a>
                  </th>
                  {result.error ? (
                    <td colSpan={5}>
                      <ErrorState error={result.error} retry={() => void result.refetch()} />
                    </td>
                  ) : !result.data ? (
                    <td colSpan={5}>
                      <Loading />
                    </td>
                  ) : (
                    doraMetricKeys.map((key) => (
                      <td key={key}>
                        <MetricCell
                          view={viewMetric(result.data!.metrics, key)}
                          span={{ granularity: result.data!.granularity, ...result.data!.period }}
                          drillHref={drillHref(
                            doraMetricInfo[key].drill,
                            { repository },
                            period,
                            search,
                            metricDrillFilters[key],
                          )}
                        />
                      </td>
                    ))
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
