import { describeGoal } from '@stride/metrics';
import type { GoalWithStatus } from '@stride/shared';
import { BoardSectionHeader } from '../board-pack/board-section-header.tsx';
import { formatGoalValue, GoalStatusBadge } from './goal-status-list.tsx';
import { countGoalStatuses } from './team-goals-table.tsx';

/** Goal rows on a printed goals page of the board pack (A4 landscape, fixed height). */
export const GOAL_ROWS_PER_PAGE = 18;

interface GoalRow {
  scope: string;
  slug: string;
  goal: GoalWithStatus;
}

/**
 * The board pack's goals page(s): the org's goals, then each team's, as one table of scope,
 * goal, status, value now and before, and n, GOAL_ROWS_PER_PAGE rows a printed page (each page
 * with the table's header, the period, the demo mark and the footnotes). Nothing when no goal
 * is set. `index` is the page's number in the pack.
 */
export function BoardPackGoals({
  index,
  org,
  teams,
  period,
  versus,
  generated,
  demo,
}: {
  index: number;
  org: readonly GoalWithStatus[];
  teams: readonly { team: { slug: string; name: string }; goals: readonly GoalWithStatus[] }[];
  period: string;
  versus: string;
  generated: string;
  demo: boolean;
}) {
  const rows: GoalRow[] = [
    ...org.map((goal) => ({ scope: 'Organisation', slug: 'org', goal })),
    ...teams.flatMap((t) => t.goals.map((goal) => ({ scope: t.team.name, slug: t.team.slug, goal }))),
  ];
  if (rows.length === 0) return null;
  const pages: GoalRow[][] = [];
  for (let i = 0; i < rows.length; i += GOAL_ROWS_PER_PAGE) pages.push(rows.slice(i, i + GOAL_ROWS_PER_PAGE));
  const all = rows.map((r) => r.goal);
  const counts = countGoalStatuses(all);
  const judged = counts.met + counts.atRisk + counts.missed;
  return (
    <>
      {pages.map((page, p) => (
        <section
          className="board-section board-goals"
          data-testid="board-goals"
          key={`goals-${page[0]!.slug}-${page[0]!.goal.goal.id}`}
          aria-labelledby={p === 0 ? 'bp-goals' : undefined}
        >
          <BoardSectionHeader
            id={p === 0 ? 'bp-goals' : undefined}
            title={
              <>
                {index}. Goals
                {pages.length > 1 ? ` (${p + 1} of ${pages.length})` : ''}
              </>
            }
            demo={demo}
          >
            {period}
            <sup>1</sup>
          </BoardSectionHeader>
          <div className="board-section-body board-goals-body">
            {p === 0 && (
              <p className="board-goals-summary" data-testid="board-goals-summary">
                {rows.length} goals ({teams.filter((t) => t.goals.length > 0).length} teams
                {org.length > 0 ? ' and the organisation' : ''}): {counts.met} met, {counts.atRisk} at risk,{' '}
                {counts.missed} missed{judged < rows.length ? `, ${rows.length - judged} not judged` : ''}.
              </p>
            )}
            <div className="table-scroll">
              <table className="board-table board-goals-table">
                <thead>
                  <tr>
                    <th scope="col">Scope</th>
                    <th scope="col">Goal</th>
                    <th scope="col">Status</th>
                    <th scope="col">Now</th>
                    <th scope="col">Before ({versus})</th>
                    <th scope="col">n</th>
                  </tr>
                </thead>
                <tbody>
                  {page.map((row) => (
                    <tr
                      key={`${row.slug}-${row.goal.goal.id}`}
                      className={row.slug === 'org' ? 'org-row' : undefined}
                      data-scope={row.slug}
                      data-metric={row.goal.goal.metric}
                    >
                      <th scope="row">{row.scope}</th>
                      <td>
                        {describeGoal(row.goal.goal)}
                        {row.goal.goal.startDate && (
                          <span className="muted"> from {row.goal.goal.startDate}</span>
                        )}
                      </td>
                      <td>
                        <GoalStatusBadge status={row.goal.status} />
                      </td>
                      <td className="board-value">{formatGoalValue(row.goal.goal, row.goal.value)}</td>
                      <td>{formatGoalValue(row.goal.goal, row.goal.previous)}</td>
                      <td data-testid="board-goal-n">{row.goal.n}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <footer className="board-footnotes">
            <p>
              <sup>1</sup> Period {period} (UTC, end inclusive), compared with the period of the same length
              just before it, {versus}. Met: the figure satisfies the target; at risk: it does, but moved away
              from the target since {versus}; missed: it does not; no data: n = 0; not started: before the
              goal's start date. n is the figure's basis (deployments, changes, incidents...). Generated{' '}
              {generated} by Stride{demo ? ' from demo data' : ''}. Definitions: docs/metrics.md, Goals.
            </p>
          </footer>
        </section>
      ))}
    </>
  );
}
