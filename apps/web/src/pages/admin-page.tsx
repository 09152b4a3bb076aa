import {
  describeGoal,
  GOAL_DIRECTIONS,
  GOAL_METRIC_IDS,
  GOAL_METRICS,
  type GoalDirection,
  type GoalMetric,
  type GoalStatistic,
} from '@stride/metrics';
import type { AnnotationKind, Goal } from '@stride/shared';
import { useState } from 'react';
import { AdminForm, InputField, SelectField, TeamSelect } from '../components/admin/admin-form.tsx';
import { AdminTable } from '../components/admin/admin-table.tsx';
import { annotationKindLabels } from '../components/charts/chart-annotations.tsx';
import { ErrorLine } from '../components/forms/error-line.tsx';
import { TokenSignInForm } from '../components/forms/token-sign-in-form.tsx';
import { QueryState } from '../components/metrics/query-state.tsx';
import { apiSend } from '../lib/api-client.ts';
import { useAdminAnnotations, useAdminChange, useAdminGoals } from '../queries/use-admin.ts';
import { useSession } from '../queries/use-session.ts';

// The kinds an admin writes (MANUAL_ANNOTATION_KINDS of the contract; types only come from
// @stride/shared so that no schema code reaches the bundle).
const MANUAL_ANNOTATION_KINDS = [
  'reorg',
  'tool_adoption',
  'freeze',
  'postmortem',
  'process_change',
  'other',
] as const satisfies readonly AnnotationKind[];
type ManualKind = (typeof MANUAL_ANNOTATION_KINDS)[number];

/** A stored target written back the way an admin types it: `4h`, `10%`, `300`. */
export function goalTargetInput(goal: Pick<Goal, 'unit' | 'target'>): string {
  const round = (x: number) => String(Math.round(x * 1000) / 1000);
  if (goal.unit === 'seconds') {
    if (goal.target % 86_400 === 0 && goal.target > 0) return `${round(goal.target / 86_400)}d`;
    if (goal.target % 3600 === 0) return `${round(goal.target / 3600)}h`;
    return `${round(goal.target / 60)}m`;
  }
  if (goal.unit === 'ratio') return `${round(goal.target * 100)}%`;
  return round(goal.target);
}

/**
 * Goals and events for an admin (`/admin`): lists, create, edit and delete through the admin API
 * (`/api/admin/goals`, `/api/admin/annotations`). Only an admin session sees the forms; anyone
 * else gets the admin sign-in, and the API refuses their changes whatever the page shows.
 */
export function AdminPage() {
  const session = useSession();
  if (session.isPending) return null;
  if (session.data?.role !== 'admin') return <AdminSignIn role={session.data?.role ?? null} />;
  return (
    <main className="page admin-page">
      <h1>Goals and events</h1>
      <p className="muted">
        Goals and events from the config file are listed here and change in the file; admin goals can be
        edited and deleted here, and so can admin events.
      </p>
      <GoalAdmin />
      <AnnotationAdmin />
    </main>
  );
}

function AdminSignIn({ role }: { role: 'viewer' | 'admin' | null }) {
  return (
    <main className="page sign-in" data-testid="admin-refused">
      <h1>Goals and events</h1>
      <p>
        {role === 'viewer'
          ? 'You are signed in with a viewer token: only an admin may change goals and events.'
          : 'Only an admin may change goals and events.'}{' '}
        Sign in with an admin token.
      </p>
      <TokenSignInForm label="Admin token" inputTestId="admin-token-input" errorTestId="admin-error" />
    </main>
  );
}

interface GoalDraft {
  id: string | null;
  team: string;
  metric: GoalMetric;
  statistic: GoalStatistic;
  direction: GoalDirection;
  target: string;
  startDate: string;
}

const newGoal: GoalDraft = {
  id: null,
  team: '',
  metric: 'change_failure_rate',
  statistic: 'value',
  direction: '<=',
  target: '',
  startDate: '',
};

const metricOptions = GOAL_METRIC_IDS.map((id) => ({ value: id, label: GOAL_METRICS[id].label }));
const directionOptions = GOAL_DIRECTIONS.map((d) => ({ value: d, label: d }));
const kindOptions = MANUAL_ANNOTATION_KINDS.map((k) => ({ value: k, label: annotationKindLabels[k] }));

function saveGoal(d: GoalDraft) {
  const body = {
    team: d.team || null,
    metric: d.metric,
    statistic: d.statistic,
    direction: d.direction,
    target: d.target.trim(),
    startDate: d.startDate || null,
  };
  return d.id
    ? apiSend('PUT', '/api/admin/goals/:id', { params: { id: d.id }, body })
    : apiSend('POST', '/api/admin/goals', { body });
}

function GoalAdmin() {
  const goals = useAdminGoals();
  const [draft, setDraft] = useState<GoalDraft>(newGoal);
  const save = useAdminChange(saveGoal);
  const remove = useAdminChange((id: string) =>
    apiSend('DELETE', '/api/admin/goals/:id', { params: { id } }),
  );
  const statistics = GOAL_METRICS[draft.metric].statistics.map((s) => ({ value: s, label: s }));
  return (
    <section aria-labelledby="goal-admin-heading" data-testid="goal-admin">
      <h2 id="goal-admin-heading">Goals</h2>
      <QueryState query={goals}>
        {(data) => (
          <AdminTable
            columns={['Scope', 'Goal', 'From']}
            rows={data.goals}
            dataKey="goal"
            cells={(g) => [g.team ?? 'Organisation', describeGoal(g), g.startDate ?? '—']}
            actions={(g) => (
              <>
                <button
                  type="button"
                  onClick={() =>
                    setDraft({
                      id: g.id,
                      team: g.team ?? '',
                      metric: g.metric,
                      statistic: g.statistic,
                      direction: g.direction,
                      target: goalTargetInput(g),
                      startDate: g.startDate ?? '',
                    })
                  }
                >
                  Edit
                </button>{' '}
                <button type="button" onClick={() => remove.mutate(g.id)}>
                  Delete
                </button>
              </>
            )}
          />
        )}
      </QueryState>
      <ErrorLine error={remove.error} testId="admin-error" />
      <AdminForm
        noun="goal"
        editing={draft.id !== null}
        pending={save.isPending}
        error={save.error}
        onSubmit={() => save.mutate(draft, { onSuccess: () => setDraft(newGoal) })}
        onCancel={() => setDraft(newGoal)}
      >
        <TeamSelect value={draft.team} onChange={(team) => setDraft({ ...draft, team })} />
        <SelectField
          label="Figure"
          name="metric"
          value={draft.metric}
          options={metricOptions}
          onChange={(metric) =>
            setDraft({ ...draft, metric, statistic: GOAL_METRICS[metric].statistics[0]! })
          }
        />
        <SelectField
          label="Statistic"
          name="statistic"
          value={draft.statistic}
          options={statistics}
          onChange={(statistic) => setDraft({ ...draft, statistic })}
        />
        <SelectField
          label="Direction"
          name="direction"
          value={draft.direction}
          options={directionOptions}
          onChange={(direction) => setDraft({ ...draft, direction })}
        />
        <InputField
          label="Target"
          name="target"
          value={draft.target}
          placeholder="4h, 10%, 300"
          onChange={(target) => setDraft({ ...draft, target })}
          required
        />
        <InputField
          label="Start date"
          name="startDate"
          type="date"
          value={draft.startDate}
          onChange={(startDate) => setDraft({ ...draft, startDate })}
        />
      </AdminForm>
    </section>
  );
}

interface EventDraft {
  /** the admin event being edited; null for a new one */
  id: string | null;
  team: string;
  kind: ManualKind;
  title: string;
  date: string;
  endDate: string;
}

const newEvent: EventDraft = { id: null, team: '', kind: 'reorg', title: '', date: '', endDate: '' };

const isManualKind = (kind: AnnotationKind): kind is ManualKind =>
  (MANUAL_ANNOTATION_KINDS as readonly AnnotationKind[]).includes(kind);

/** An admin event written to the API: replaced (`PUT`) when it has an id, else added (`POST`). */
function saveEvent(d: EventDraft) {
  const body = {
    team: d.team || null,
    kind: d.kind,
    title: d.title.trim(),
    date: d.date,
    endDate: d.endDate || null,
  };
  return d.id
    ? apiSend('PUT', '/api/admin/annotations/:id', { params: { id: d.id }, body })
    : apiSend('POST', '/api/admin/annotations', { body });
}

function AnnotationAdmin() {
  const events = useAdminAnnotations();
  const [draft, setDraft] = useState<EventDraft>(newEvent);
  const save = useAdminChange(saveEvent);
  const remove = useAdminChange((id: string) =>
    apiSend('DELETE', '/api/admin/annotations/:id', { params: { id } }),
  );
  return (
    <section aria-labelledby="event-admin-heading" data-testid="event-admin">
      <h2 id="event-admin-heading">Events</h2>
      <p className="muted">
        Membership changes, severe incidents and new goals are added by Stride itself and are not listed here.
      </p>
      <QueryState query={events}>
        {(data) => (
          <AdminTable
            columns={['Date', 'Event', 'Scope']}
            rows={data.annotations}
            dataKey="event"
            cells={(a) => [
              `${a.date}${a.endDate ? ` – ${a.endDate}` : ''}`,
              `${annotationKindLabels[a.kind]}: ${a.title}`,
              a.team ?? 'Organisation',
            ]}
            actions={(a) => (
              <>
                {isManualKind(a.kind) && (
                  <button
                    type="button"
                    onClick={() =>
                      setDraft({
                        id: a.id,
                        team: a.team ?? '',
                        kind: a.kind as ManualKind,
                        title: a.title,
                        date: a.date,
                        endDate: a.endDate ?? '',
                      })
                    }
                  >
                    Edit
                  </button>
                )}{' '}
                <button
                  type="button"
                  onClick={() =>
                    remove.mutate(a.id, {
                      // The event being edited is gone: the form goes back to a new one.
                      onSuccess: () => setDraft((d) => (d.id === a.id ? newEvent : d)),
                    })
                  }
                >
                  Delete
                </button>
              </>
            )}
          />
        )}
      </QueryState>
      <ErrorLine error={remove.error} testId="admin-error" />
      <AdminForm
        noun="event"
        editing={draft.id !== null}
        pending={save.isPending}
        error={save.error}
        onSubmit={() => save.mutate(draft, { onSuccess: () => setDraft(newEvent) })}
        onCancel={() => setDraft(newEvent)}
      >
        <TeamSelect value={draft.team} onChange={(team) => setDraft({ ...draft, team })} />
        <SelectField
          label="Kind"
          name="kind"
          value={draft.kind}
          options={kindOptions}
          onChange={(kind) => setDraft({ ...draft, kind })}
        />
        <InputField
          label="Title"
          name="title"
          value={draft.title}
          maxLength={200}
          onChange={(title) => setDraft({ ...draft, title })}
          required
        />
        <InputField
          label="Date"
          name="date"
          type="date"
          value={draft.date}
          onChange={(date) => setDraft({ ...draft, date })}
          required
        />
        <InputField
          label="Last day"
          name="endDate"
          type="date"
          value={draft.endDate}
          onChange={(endDate) => setDraft({ ...draft, endDate })}
        />
      </AdminForm>
    </section>
  );
}
