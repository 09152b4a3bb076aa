import { useRepositoriesDora } from '../../queries/use-repository-dora.ts';
import { ExternalLink } from '../external-link.tsx';
import { DoraCells, DoraHeaderCells } from './dora-cells.tsx';

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
              <DoraHeaderCells />
            </tr>
          </thead>
          <tbody>
            {repositories.map((repository, i) => {
              const result = results[i]!;
              return (
                <tr key={repository} data-repository={repository}>
                  <th scope="row">
                    <ExternalLink url={`https://github.com/${repository}`} site="GitHub">
                      {repository}
                    </ExternalLink>
                  </th>
                  <DoraCells result={result} scope={{ repository }} period={period} search={search} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
