import { formatNumber } from '../../lib/format.ts';
import { useTeamAgreements } from '../../queries/use-team-agreements.ts';
import { ExternalLink } from '../external-link.tsx';
import { QueryState } from '../metrics/query-state.tsx';

const unitText = {
  business_hours: 'business h',
  days: 'days',
  open_prs: 'open PRs',
  lines: 'lines',
} as const;
const waitText = {
  review: 'a first review',
  author: 'its author (changes requested)',
  merge: 'the merge (approved)',
};

/**
 * A team's working agreements for the period: each rule with how many PRs (for WIP, people) it
 * was checked on and broke, then the PRs that broke one, oldest first, with what they wait on.
 */
export function AgreementViolations({
  team,
  period,
}: {
  team: string;
  period: { from: string; to: string };
}) {
  const agreements = useTeamAgreements(team, period);
  return (
    <QueryState query={agreements}>
      {(data) => {
        const agreed = data.rules.filter((r) => r.limit !== null);
        if (agreed.length === 0) {
          return <p className="muted">No working agreements configured for this team.</p>;
        }
        const rule = (id: string) => data.rules.find((r) => r.rule === id)!;
        return (
          <div className="agreements" data-testid="agreements">
            <ul className="agreement-rules">
              {agreed.map((r) => (
                <li key={r.rule} data-rule={r.rule}>
                  {r.label} {formatNumber(r.limit, 1)} {unitText[r.unit]}: {r.broken} of {r.checked}{' '}
                  {r.rule === 'wip' ? 'people with open PRs' : 'PRs'} broke it
                </li>
              ))}
            </ul>
            {data.violations.length > 0 && (
              <table className="agreement-violations">
                <caption>PRs that broke an agreement (times in {data.timezone})</caption>
                <thead>
                  <tr>
                    <th scope="col">PR</th>
                    <th scope="col">Agreement</th>
                    <th scope="col">Measured</th>
                    <th scope="col">Age</th>
                    <th scope="col">Waits on</th>
                  </tr>
                </thead>
                <tbody>
                  {data.violations.map((v) => (
                    <tr key={`${v.rule}:${v.repository}#${v.number}`} data-rule={v.rule}>
                      <td>
                        <ExternalLink url={v.url} site="GitHub">
                          {v.repository}#{v.number}
                        </ExternalLink>{' '}
                        {v.title}
                      </td>
                      <td>{rule(v.rule).label}</td>
                      <td>
                        {formatNumber(v.value, 1)} {unitText[rule(v.rule).unit]} (limit{' '}
                        {formatNumber(v.limit, 1)})
                      </td>
                      <td>{formatNumber(v.ageDays, 1)} days</td>
                      <td>{v.waitingOn ? waitText[v.waitingOn] : v.state === 'merged' ? 'merged' : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}
