import { Link } from 'react-router-dom';
import {
  formatDuration,
  formatNumber,
  formatPerContributor,
  formatRatio,
  sizeBandInfo,
} from '../../lib/format.ts';
import { changesHref, incidentsHref, type TeamHealthView } from './team-health-view.ts';

function Tile({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="metric-tile" data-testid={testId}>
      <h3>{title}</h3>
      <div>{children}</div>
    </div>
  );
}

/** The team's single-figure health signals: size, WIP, review load, throughput, unplanned work, incidents, out-of-hours. */
export function HealthTiles(view: TeamHealthView) {
  const { health } = view;
  const band = sizeBandInfo[health.teamSize.band];
  return (
    <div className="metric-tiles health-tiles">
      <Tile title="Team size" testId="team-size">
        <strong>{health.teamSize.members}</strong> members ·{' '}
        <span className={`band band-${health.teamSize.band}`}>
          {health.teamSize.band === 'fragile' || health.teamSize.band === 'large' ? '⚠ ' : ''}
          {band.label}
        </span>{' '}
        <span className="muted">({band.hint})</span>
        <div className="muted">{health.teamSize.activeContributors} active contributors</div>
      </Tile>
      <Tile title="Work in progress">
        <Link to={changesHref(view, { state: 'open' })}>
          <strong>{health.workInProgress.open}</strong> open PRs
        </Link>
        <div>
          <Link to={changesHref(view, { state: 'open', stale: true })}>
            {health.workInProgress.stale > 0 ? '⚠ ' : ''}
            {health.workInProgress.stale} stale (open &gt; 7 days)
          </Link>
        </div>
      </Tile>
      <Tile title="Review load spread">
        <strong>{formatNumber(health.reviewLoad.reviews)}</strong> reviews · busiest reviewer{' '}
        <strong>{formatRatio(health.reviewLoad.busiestReviewerShare)}</strong>
        <div>
          <Link to={changesHref(view, { state: 'merged', reviewed: false })}>
            {health.reviewLoad.mergedWithoutReview} merged without review
          </Link>
        </div>
      </Tile>
      <Tile title="Throughput">
        <Link to={changesHref(view, { state: 'merged' })}>
          <strong>{formatNumber(health.throughput.mergedPrs)}</strong> merged PRs
        </Link>{' '}
        · {formatNumber(health.throughput.perWeek, 1)}/week ·{' '}
        {formatPerContributor(health.throughput.perContributorPerWeek, health.teamSize.activeContributors)}
        /contributor/week
      </Tile>
      <Tile title="Unplanned work">
        <strong>{formatRatio(health.unplannedWork.ratio)}</strong>
        <div className="muted">
          {health.unplannedWork.unplanned} bug/incident issues of {health.unplannedWork.resolved} resolved
        </div>
      </Tile>
      <Tile title="Incidents">
        <Link to={incidentsHref(view)}>
          <strong>{health.incidentLoad.incidents}</strong> incidents
        </Link>{' '}
        · {formatNumber(health.incidentLoad.perWeek, 1)}/week
        <div className="muted">
          recovery p50 {formatDuration(health.incidentLoad.recovery.p50)}, p90{' '}
          {formatDuration(health.incidentLoad.recovery.p90)}
        </div>
      </Tile>
      <Tile title="Out-of-hours work">
        <strong>{formatRatio(health.outOfHours.share)}</strong>
        <div className="muted">of {health.outOfHours.commits} commits</div>
      </Tile>
    </div>
  );
}
