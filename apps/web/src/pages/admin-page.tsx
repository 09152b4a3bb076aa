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
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { annotationKindLabels } from '../components/charts/chart-annotations.tsx';
import { QueryState } from '../components/metrics/query-state.tsx';
import { apiGet, apiWrite } from '../lib/api-client.ts';
import { useSession, useSignIn } from '../queries/use-session.ts';
import { useTeams } from '../queries/use-teams.ts';

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

/** After a change: the admin lists, and every goal status, target line and event marker. */
function useAdminChange<A>(run: (arg: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await Promise.all(
        ['admin-goals', 'admin-annotations', 'goals', 'annotations'].map((key) =>
          client.invalidateQueries({ queryKey: [key] }),
        ),
      );
    },
  });
}

function ErrorLine({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="state state-error" data-testid="admin-error">
      ⚠ {error.message}
    </p>
  );
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
        edited and deleted here, admin events deleted.
      </p>
      <GoalAdmin />
      <AnnotationAdmin />
    </main>
  );
}

function AdminSignIn({ role }: { role: 'viewer' | 'admin' | null }) {
  const [token, setToken] = useState('');
  const signIn = useSignIn();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) signIn.mutate(token.trim());
  };
  return (
    <main className="page sign-in" data-testid="admin-refused">
      <h1>Goals and events</h1>
      <p>
        {role === 'viewer'
          ? 'You are signed in with a viewer token: only an admin may change goals and events.'
          : 'Only an admin may change goals and events.'}{' '}
        Sign in with an admin token.
      </p>
      <form onSubmit={submit}>
        <label>
          Admin token{' '}
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            data-testid="admin-token-input"
          />
        </label>{' '}
        <button type="submit" disabled={!token.trim() || signIn.isPending}>
          Sign in
        </button>
      </form>
      <ErrorLine error={signIn.error} />
    </main>
  );
}

function TeamSelect({ value, onChange }: { value: string; onChange: (slug: string) => void }) {
  const teams = useTeams();
  return (
    <label>
      Team{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} name="team">
        <option value="">Organisation</option>
        {(teams.data?.teams ?? []).map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
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

function GoalAdmin() {
  const goals = useQuery({
    queryKey: ['admin-goals'],
    queryFn: ({ signal }) => apiGet('/api/admin/goals', undefined, signal),
  });
  const [draft, setDraft] = useState<GoalDraft>(newGoal);
  const save = useAdminChange((d: GoalDraft) =>
    apiWrite(d.id ? 'PUT' : 'POST', d.id ? `/api/admin/goals/${d.id}` : '/api/admin/goals', {
      team: d.team || null,
      metric: d.metric,
      statistic: d.statistic,
      direction: d.direction,
      target: d.target.trim(),
      startDate: d.startDate || null,
    }),
  );
  const remove = useAdminChange((id: string) => apiWrite('DELETE', `/api/admin/goals/${id}`));
  const statistics = GOAL_METRICS[draft.metric].statistics;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft, { onSuccess: () => setDraft(newGoal) });
  };
  return (
    <section aria-labelledby="goal-admin-heading" data-testid="goal-admin">
      <h2 id="goal-admin-heading">Goals</h2>
      <QueryState query={goals}>
        {(data) => (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Goal</th>
                <th scope="col">From</th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.goals.map((g) => (
                <tr key={g.id} data-origin={g.origin} data-goal={g.id}>
                  <td>{g.team ?? 'Organisation'}</td>
                  <td>{describeGoal(g)}</td>
                  <td>{g.startDate ?? '—'}</td>
                  <td>{g.origin === 'config' ? 'config file' : 'admin'}</td>
                  <td>
                    {g.origin === 'api' && (
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
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorLine error={remove.error} />
      <form className="admin-form" onSubmit={submit} aria-label={draft.id ? 'Edit goal' : 'New goal'}>
        <h3>{draft.id ? 'Edit goal' : 'New goal'}</h3>
        <TeamSelect value={draft.team} onChange={(team) => setDraft({ ...draft, team })} />
        <label>
          Figure{' '}
          <select
            name="metric"
            value={draft.metric}
            onChange={(e) => {
              const metric = e.target.value as GoalMetric;
              setDraft({ ...draft, metric, statistic: GOAL_METRICS[metric].statistics[0]! });
            }}
          >
            {GOAL_METRIC_IDS.map((id) => (
              <option key={id} value={id}>
                {GOAL_METRICS[id].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Statistic{' '}
          <select
            name="statistic"
            value={draft.statistic}
            onChange={(e) => setDraft({ ...draft, statistic: e.target.value as GoalStatistic })}
          >
            {statistics.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Direction{' '}
          <select
            name="direction"
            value={draft.direction}
            onChange={(e) => setDraft({ ...draft, direction: e.target.value as GoalDirection })}
          >
            {GOAL_DIRECTIONS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target{' '}
          <input
            name="target"
            value={draft.target}
            placeholder="4h, 10%, 300"
            onChange={(e) => setDraft({ ...draft, target: e.target.value })}
            required
          />
        </label>
        <label>
          Start date{' '}
          <input
            name="startDate"
            type="date"
            value={draft.startDate}
            onChange={(e) => setDraft({ ...draft, startDate: e.target.value })}
          />
        </label>
        <button type="submit" disabled={save.isPending}>
          {draft.id ? 'Save goal' : 'Add goal'}
        </button>
        {draft.id && (
          <button type="button" onClick={() => setDraft(newGoal)}>
            Cancel
          </button>
        )}
        <ErrorLine error={save.error} />
      </form>
    </section>
  );
}

interface EventDraft {
  id: string | null;
  team: string;
  kind: ManualKind;
  title: string;
  date: string;
  endDate: string;
}

const newEvent: EventDraft = { id: null, team: '', kind: 'reorg', title: '', date: '', endDate: '' };

function AnnotationAdmin() {
  const events = useQuery({
    queryKey: ['admin-annotations'],
    queryFn: ({ signal }) => apiGet('/api/admin/annotations', undefined, signal),
  });
  const [draft, setDraft] = useState<EventDraft>(newEvent);
  const save = useAdminChange((d: EventDraft) =>
    apiWrite('POST', '/api/admin/annotations', {
      team: d.team || null,
      kind: d.kind,
      title: d.title.trim(),
      date: d.date,
      endDate: d.endDate || null,
    }),
  );
  const remove = useAdminChange((id: string) => apiWrite('DELETE', `/api/admin/annotations/${id}`));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft, { onSuccess: () => setDraft(newEvent) });
  };
  return (
    <section aria-labelledby="event-admin-heading" data-testid="event-admin">
      <h2 id="event-admin-heading">Events</h2>
      <p className="muted">
        Membership changes, severe incidents and new goals are added by Stride itself and are not listed here.
      </p>
      <QueryState query={events}>
        {(data) => (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Event</th>
                <th scope="col">Scope</th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.annotations.map((a) => (
                <tr key={a.id} data-origin={a.origin} data-event={a.id}>
                  <td>
                    {a.date}
                    {a.endDate ? ` – ${a.endDate}` : ''}
                  </td>
                  <td>
                    {annotationKindLabels[a.kind]}: {a.title}
                  </td>
                  <td>{a.team ?? 'Organisation'}</td>
                  <td>{a.origin === 'config' ? 'config file' : 'admin'}</td>
                  <td>
                    {a.origin === 'api' && (
                      <>
                        <button type="button" onClick={() => remove.mutate(a.id)}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorLine error={remove.error} />
      <form className="admin-form" onSubmit={submit} aria-label={draft.id ? 'Edit event' : 'New event'}>
        <h3>{draft.id ? 'Edit event' : 'New event'}</h3>
        <TeamSelect value={draft.team} onChange={(team) => setDraft({ ...draft, team })} />
        <label>
          Kind{' '}
          <select
            name="kind"
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value as ManualKind })}
          >
            {MANUAL_ANNOTATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {annotationKindLabels[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Title{' '}
          <input
            name="title"
            value={draft.title}
            maxLength={200}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
            required
          />
        </label>
        <label>
          Date{' '}
          <input
            name="date"
            type="date"
            value={draft.date}
            onChange={(e) => setDraft({ ...draft, date: e.target.value })}
            required
          />
        </label>
        <label>
          Last day{' '}
          <input
            name="endDate"
            type="date"
            value={draft.endDate}
            onChange={(e) => setDraft({ ...draft, endDate: e.target.value })}
          />
        </label>
        <button type="submit" disabled={save.isPending}>
          {draft.id ? 'Save event' : 'Add event'}
        </button>
        {draft.id && (
          <button type="button" onClick={() => setDraft(newEvent)}>
            Cancel
          </button>
        )}
        <ErrorLine error={save.error} />
      </form>
    </section>
  );
}
