import { isIsoDate, parseIsoInstant } from '@stride/metrics';
import type {
  AiGroup,
  ChangeListQuery,
  DeploymentListQuery,
  IncidentListQuery,
  ListQuery,
} from '@stride/shared';
import { type DoraMetricKey, type DrillKind, doraMetricKeys } from './format.ts';
import { type Filters, parseFilters, writeFilters } from './period.ts';

/**
 * Every key the dashboard keeps in its URL, so that a link reproduces the view. The period
 * filters (`period`, `from`, `to`, `granularity`, `benchmark`) are read by `parseFilters`; the
 * rest here. Nothing else in the dashboard reads or writes the URL's query.
 */
export const VIEW_KEYS = ['compare', 'retro', 'teamSort', 'teamOrder', 'worse', 'events'] as const;
/** The AI-impact page's team, PR-size band and drilled group. */
export const AI_VIEW_KEYS = ['aiTeam', 'aiBand', 'aiGroup', 'aiPage'] as const;
export const DRILL_SCOPE_KEYS = ['team', 'repository'] as const;
export const DRILL_PAGE_KEYS = ['page', 'sort', 'order'] as const;

/** The figure filters of each drill-down list (the list query minus scope, period and paging). */
export type DeploymentFigureFilters = Omit<DeploymentListQuery, keyof ListQuery>;
export type ChangeFigureFilters = Omit<ChangeListQuery, keyof ListQuery>;
export type IncidentFigureFilters = Omit<IncidentListQuery, keyof ListQuery>;
export interface FigureFilters {
  deployments: DeploymentFigureFilters;
  changes: ChangeFigureFilters;
  incidents: IncidentFigureFilters;
}
/** The figure filters of any list (what `drillHref` adds to a link). */
export type AnyFigureFilters = FigureFilters[DrillKind];

const BOOLEAN_KEYS = {
  deployments: ['failed', 'unplanned'],
  changes: ['deployed', 'withLeadTime', 'reviewed', 'unplanned', 'stale', 'includeBots'],
  incidents: ['caused', 'resolved'],
} as const;
/** Every figure-filter key of any list. */
export const FIGURE_KEYS = [
  ...new Set([...Object.values(BOOLEAN_KEYS).flat(), 'dateField', 'state']),
] as readonly string[];

const bool = (value: string | null): boolean | undefined =>
  value === 'true' ? true : value === 'false' ? false : undefined;
const oneOf = <V extends string>(value: string | null, values: readonly V[]): V | undefined =>
  values.includes(value as V) ? (value as V) : undefined;
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** The figure filters of list `kind` in the URL; unknown or malformed values are left out. */
export function parseFigureFilters<K extends DrillKind>(params: URLSearchParams, kind: K): FigureFilters[K] {
  const flags = Object.fromEntries(BOOLEAN_KEYS[kind].map((key) => [key, bool(params.get(key))]));
  const extra =
    kind === 'changes'
      ? {
          dateField: oneOf(params.get('dateField'), ['merged', 'deployed'] as const),
          state: oneOf(params.get('state'), ['merged', 'open'] as const),
        }
      : kind === 'incidents'
        ? { dateField: oneOf(params.get('dateField'), ['started', 'resolved'] as const) }
        : {};
  return defined({ ...flags, ...extra }) as FigureFilters[K];
}

/** What a drill-down page shows: scope, period as linked (ISO dates or date-times), paging. */
export interface DrillView {
  team?: string;
  repository?: string;
  /** The linked period, `to` exclusive; absent: the API's default (last 90 days). */
  from?: string;
  to?: string;
  page: number;
  sort?: string;
  order?: 'asc' | 'desc';
}

/** Reads a drill-down page's scope, period and paging from the URL. */
export function parseDrillView(params: URLSearchParams): DrillView {
  const page = Number(params.get('page'));
  const text = (key: string) => params.get(key) || undefined;
  const instant = (key: string) => {
    const value = params.get(key);
    return value && parseIsoInstant(value) !== null ? value : undefined;
  };
  return defined({
    team: text('team'),
    repository: text('repository'),
    from: instant('from'),
    to: instant('to'),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    sort: text('sort'),
    order: oneOf(params.get('order'), ['asc', 'desc'] as const),
  });
}

/** The overview table's order and filter: by team name or a metric's value; only teams that got worse. */
export interface TeamTableView {
  /** Absent: the configured order (teams without data last). */
  sort?: 'team' | DoraMetricKey;
  order: 'asc' | 'desc';
  /** Only teams with a metric that got worse against the previous period (`worse=true`). */
  worseOnly: boolean;
}

/** Reads the overview table's order and filter (`teamSort`, `teamOrder`, `worse`). */
export function parseTeamTableView(params: URLSearchParams): TeamTableView {
  return defined({
    sort: oneOf(params.get('teamSort'), ['team', ...doraMetricKeys] as const),
    order: oneOf(params.get('teamOrder'), ['asc', 'desc'] as const) ?? 'asc',
    worseOnly: params.get('worse') === 'true',
  });
}

const AI_GROUPS = ['ai', 'none', 'agent', 'assisted', 'unclassified', 'before', 'after'] as const;
const AI_BANDS = ['xs', 's', 'm', 'l'] as const;

/** The AI-impact page's view: team (`undefined` = organisation), size band, drilled group and its page. */
export interface AiView {
  team?: string;
  band?: (typeof AI_BANDS)[number];
  group?: AiGroup;
  page: number;
}

/** Reads `aiTeam`, `aiBand`, `aiGroup`, `aiPage` (unknown values are left out). */
export function parseAiView(params: URLSearchParams): AiView {
  const team = params.get('aiTeam');
  const page = Number(params.get('aiPage'));
  return {
    ...defined({
      team: team && /^[a-z0-9][a-z0-9-]*$/.test(team) ? team : undefined,
      band: oneOf(params.get('aiBand'), AI_BANDS),
      group: oneOf(params.get('aiGroup'), AI_GROUPS),
    }),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** Everything the dashboard reads from its URL. */
export interface DashboardUrl {
  filters: Filters;
  /** Org trend charts also draw each team (`compare=teams`). */
  compare: boolean;
  /** "Since last retro" date, YYYY-MM-DD, when chosen. */
  retro: string | undefined;
  /** Kinds of chart annotations shown (`events=reorg,incident`, `events=none`); null: every kind. */
  events: readonly string[] | null;
  drill: DrillView;
  teamTable: TeamTableView;
  ai: AiView;
}

/** Annotation kinds in the URL: absent = every kind (null), `none` = none. */
function parseEvents(value: string | null): readonly string[] | null {
  if (value === null) return null;
  if (value === 'none') return [];
  return value.split(',').filter((k) => /^[a-z_]+$/.test(k));
}

/** Reads the whole dashboard state from URL search params (defaults for missing or bad values). */
export function parseDashboardUrl(params: URLSearchParams, today: Date = new Date()): DashboardUrl {
  const retro = params.get('retro');
  return {
    filters: parseFilters(params, today),
    compare: params.get('compare') === 'teams',
    retro: retro && isIsoDate(retro) ? retro : undefined,
    events: parseEvents(params.get('events')),
    drill: parseDrillView(params),
    teamTable: parseTeamTableView(params),
    ai: parseAiView(params),
  };
}

/** A change of dashboard state: only the given parts are written. */
export interface DashboardChange {
  filters?: Filters;
  compare?: boolean;
  retro?: string | undefined;
  events?: readonly string[] | null;
  drill?: Partial<DrillView>;
  figure?: AnyFigureFilters;
  teamTable?: Partial<TeamTableView>;
  ai?: Partial<AiView>;
}

/** Writes a change into URL params, keeping every other key. */
export function writeDashboardUrl(params: URLSearchParams, change: DashboardChange): URLSearchParams {
  let next = new URLSearchParams(params);
  if (change.filters) next = writeFilters(next, change.filters);
  if (change.compare !== undefined) {
    if (change.compare) next.set('compare', 'teams');
    else next.delete('compare');
  }
  if ('retro' in change) {
    if (change.retro) next.set('retro', change.retro);
    else next.delete('retro');
  }
  if ('events' in change) {
    if (change.events === null || change.events === undefined) next.delete('events');
    else next.set('events', change.events.length === 0 ? 'none' : change.events.join(','));
  }
  const set = (entries: object) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
  };
  if (change.drill) set(change.drill);
  if (change.figure) set(change.figure);
  if (change.teamTable) {
    const { sort, order, worseOnly } = change.teamTable;
    if ('sort' in change.teamTable) set({ teamSort: sort });
    if (order !== undefined) set({ teamOrder: order === 'asc' ? undefined : order });
    if (worseOnly !== undefined) set({ worse: worseOnly ? 'true' : undefined });
  }
  if (change.ai) {
    const { team, band, group, page } = change.ai;
    if ('team' in change.ai) set({ aiTeam: team });
    if ('band' in change.ai) set({ aiBand: band });
    if ('group' in change.ai) set({ aiGroup: group });
    if ('page' in change.ai) set({ aiPage: page === 1 ? undefined : page });
  }
  return next;
}

/** The query string of the dashboard filters alone (links between pages keep it). */
export function filtersSearch(filters: Filters): string {
  return writeFilters(new URLSearchParams(), filters).toString();
}

/** The list request of a drill-down page: scope, period, paging and the list's figure filters. */
export function drillListQuery<K extends DrillKind>(
  params: URLSearchParams,
  kind: K,
  pageSize: number,
): ListQuery & FigureFilters[K] {
  const { page, ...view } = parseDrillView(params);
  return { ...view, page, pageSize, ...parseFigureFilters(params, kind) };
}
