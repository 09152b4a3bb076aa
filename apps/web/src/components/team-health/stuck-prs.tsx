import { PULL_REQUEST_WAITS } from '@stride/metrics';
import { Link } from 'react-router-dom';
import { formatDuration, formatNumber } from '../../lib/format.ts';
import { changesCsvUrl, useChanges } from '../../queries/use-changes.ts';
import { ChartCard } from '../charts/chart-card.tsx';
import { ExternalLink } from '../external-link.tsx';
import { ErrorState, Loading } from '../metrics/query-state.tsx';
import { requestedText, WaitingOn } from '../metrics/waiting-on.tsx';
import { changesHref, type TeamHealthView } from './team-health-view.ts';

const SHOWN = 10;

/**
 * Stuck PRs: the team's PRs open at the period's end for more than 7 days (stale), oldest first,
 * with their age, author, requested reviewers and what each waits on (review, author, CI), and
 * how many wait on each. Links to the full list and to every PR's phase times.
 */
export function StuckPrs(view: Omit<TeamHealthView, 'health'>) {
  const query = {
    team: view.team,
    from: view.period.from,
    to: view.period.to,
    state: 'open' as const,
    stale: true,
    sort: 'openedAt',
    order: 'asc' as const,
    pageSize: 100,
  };
  const stale = useChanges(query);
  const items = stale.data?.items ?? [];
  const waits = PULL_REQUEST_WAITS.map((w) => ({
    wait: w,
    n: items.filter((i) => i.waitingOn === w).length,
  }));
  return (
    <ChartCard
      title="Stuck PRs"
      className="stuck-prs"
      subtitle={
        stale.data
          ? `${formatNumber(stale.data.total)} PRs open for more than 7 days at the period's end · waiting on ${waits
              .map((w) => `${w.wait === 'ci' ? 'CI' : w.wait} ${w.n}`)
              .join(', ')}`
          : undefined
      }
      csv={changesCsvUrl(query)}
      footer={
        <>
          <Link to={changesHref(view as TeamHealthView, { state: 'open' })}>
            All PRs open at the end of the period
          </Link>{' '}
          ·{' '}
          <Link
            to={`${changesHref(view as TeamHealthView)}&sort=pickupTime&order=desc`}
            data-testid="pr-phases-link"
          >
            Merged PRs with their coding, pickup, review and deploy times
          </Link>
        </>
      }
    >
      {stale.error ? (
        <ErrorState error={stale.error} retry={() => void stale.refetch()} />
      ) : stale.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <div className="state state-empty">No PR has been open for more than 7 days.</div>
      ) : (
        <div className="table-scroll">
          <table className="stuck-table" data-testid="stuck-prs">
            <thead>
              <tr>
                <th scope="col">PR</th>
                <th scope="col">Author</th>
                <th scope="col">Age</th>
                <th scope="col">Requested reviewers</th>
                <th scope="col">Waits on</th>
              </tr>
            </thead>
            <tbody>
              {items.slice(0, SHOWN).map((pr) => (
                <tr key={pr.id} data-pr={pr.number}>
                  <td>
                    <ExternalLink url={pr.url} site="GitHub">
                      {`${pr.repository}#${pr.number}`}
                    </ExternalLink>{' '}
                    <span className="muted">{pr.title}</span>
                  </td>
                  <td>{pr.author ?? '—'}</td>
                  <td>{formatDuration(pr.ageSeconds)}</td>
                  <td>{requestedText(pr)}</td>
                  <td>
                    <WaitingOn item={pr} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {items.length > SHOWN && (
            <p className="muted">
              The {SHOWN} oldest of {formatNumber(stale.data!.total)};{' '}
              <Link to={changesHref(view as TeamHealthView, { state: 'open', stale: true })}>see all</Link>.
            </p>
          )}
        </div>
      )}
    </ChartCard>
  );
}
