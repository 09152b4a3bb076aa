import type { AiImpactChangesQuery } from '@stride/shared';
import { aiClassLabels } from '../../lib/ai-impact-view.ts';
import { formatDuration } from '../../lib/format.ts';
import { aiImpactChangesCsvUrl, useAiImpactChanges } from '../../queries/use-ai-impact-changes.ts';
import { ExternalLink } from '../external-link.tsx';
import { QueryState } from '../metrics/query-state.tsx';

const PAGE_SIZE = 50;

const groupTitles = {
  ai: 'AI-assisted PRs (agent + assisted)',
  none: 'PRs with no AI trace',
  agent: 'PRs made by coding agents',
  assisted: 'AI-assisted PRs',
  unclassified: 'Unclassified PRs (commits not read yet)',
  before: 'PRs merged before adoption',
  after: 'PRs merged after adoption',
} as const;

/** The PRs behind a group of the AI-impact page, with the evidence of their class; no authors. */
export function AiChangesList({
  query,
  onPage,
  onClose,
}: {
  query: Omit<AiImpactChangesQuery, 'pageSize'> & { group: NonNullable<AiImpactChangesQuery['group']> };
  onPage: (page: number) => void;
  onClose: () => void;
}) {
  const request = { ...query, pageSize: PAGE_SIZE };
  const list = useAiImpactChanges(request);
  return (
    <section className="ai-changes" aria-labelledby="ai-changes-heading" data-testid="ai-changes">
      <header className="chart-card-header">
        <h2 id="ai-changes-heading">
          {groupTitles[query.group]}
          {query.team ? ` · ${query.team}` : ' · organisation'}
        </h2>
        <div className="no-print">
          <a href={aiImpactChangesCsvUrl(request)} download>
            CSV
          </a>{' '}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      <QueryState query={list} isEmpty={(d) => d.total === 0} empty="No PRs in this group.">
        {(data) => (
          <>
            <p className="muted">
              {data.total} PRs · page {data.page} of {Math.max(1, Math.ceil(data.total / data.pageSize))}
            </p>
            <table className="drill-table" data-testid="ai-changes-table">
              <thead>
                <tr>
                  <th scope="col">PR</th>
                  <th scope="col">Merged</th>
                  <th scope="col">Class</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Size</th>
                  <th scope="col">Coding · pickup · review</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={`${c.id}-${c.team ?? ''}`}>
                    <td>
                      <ExternalLink url={c.url} site="GitHub">{`${c.repository}#${c.number}`}</ExternalLink>{' '}
                      <span className="muted">{c.title}</span>
                    </td>
                    <td>{c.mergedAt.slice(0, 10)}</td>
                    <td>{c.aiClass ? aiClassLabels[c.aiClass] : 'unclassified'}</td>
                    <td>
                      {c.evidence.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="evidence">
                          {c.evidence.map((e) => (
                            <li key={`${e.rule}-${e.tool}-${e.sha ?? ''}`}>
                              <strong>{e.tool}</strong>: <code>{e.detail}</code>
                              {e.sha && <span className="muted"> in {e.sha.slice(0, 7)}</span>}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>{c.size ?? '—'}</td>
                    <td>
                      {formatDuration(c.codingSeconds)} · {formatDuration(c.pickupSeconds)} ·{' '}
                      {formatDuration(c.reviewSeconds)}
                    </td>
                    <td>
                      {[
                        c.reverted ? 'reverted' : null,
                        c.failedDeployment ? 'failed deployment' : null,
                        c.changesRequested > 0 ? `${c.changesRequested} change request(s)` : null,
                      ]
                        .filter(Boolean)
                        .join(', ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <nav className="pager no-print" aria-label="Pages">
              <button type="button" disabled={data.page <= 1} onClick={() => onPage(data.page - 1)}>
                Previous
              </button>
              <button
                type="button"
                disabled={data.page * data.pageSize >= data.total}
                onClick={() => onPage(data.page + 1)}
              >
                Next
              </button>
            </nav>
          </>
        )}
      </QueryState>
    </section>
  );
}
