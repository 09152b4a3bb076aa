import { type RawBuilder, sql } from 'kysely';

const DAY_MS = 86_400_000;

/** A period split into what the day rollups can answer and what the raw rows must. */
export interface RollupPeriodSplit {
  /** Epoch ms of the first and the end (exclusive) of the whole UTC days inside the period; both 0 when there are none. */
  d1: number;
  d2: number;
  /** The same days as 'YYYY-MM-DD' (for `day >= day1 and day < day2`; '1970-01-01' twice when there are none). */
  day1: string;
  day2: string;
  /** The partial days at the period's edges, [from, d1) and [d2, to), or the whole period when it holds no whole day. */
  edges: [Date, Date][];
}

/**
 * Splits [from, to) into its whole UTC days, served from the rollups, and its partial edges,
 * computed from the raw rows: the one rule behind every rollup read, so the DORA figures and the
 * list totals cut a period the same way.
 * @param from inclusive start; @param to exclusive end
 */
export function splitRollupPeriod(from: Date, to: Date): RollupPeriodSplit {
  let d1 = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  let d2 = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  const edges: [Date, Date][] = [];
  if (d1 < d2) {
    if (from.getTime() < d1) edges.push([from, new Date(d1)]);
    if (d2 < to.getTime()) edges.push([new Date(d2), to]);
  } else {
    edges.push([from, to]);
    d1 = d2 = 0;
  }
  return {
    d1,
    d2,
    day1: new Date(d1).toISOString().slice(0, 10),
    day2: new Date(d2).toISOString().slice(0, 10),
    edges,
  };
}

/** The edges as a `values` list of (lo, hi) timestamptz pairs; one null pair when there are none (a `values` list cannot be empty). */
function edgeValuesOf(edges: [Date, Date][]): RawBuilder<unknown> {
  return edges.length
    ? sql.join(edges.map(([lo, hi]) => sql`(${lo}::timestamptz, ${hi}::timestamptz)`))
    : sql`(null::timestamptz, null::timestamptz)`;
}

/**
 * The common table expressions (`marks`, `whole`, `fresh`, `ranges`, for after `with`) naming what a
 * rollup read must compute from the raw rows: `ranges` (lo, hi) holds the whole period when a
 * rebuild is due (`rollup_dirty` kind 'all', or 'teams' for a team-scoped read, or never built),
 * else the partial edge days and every whole day still queued; `whole.v` says which. The DORA read
 * and the list totals share this one rule, so both stay exact between a write and its refresh.
 */
export function rawRangesCtes(input: {
  from: Date;
  to: Date;
  split: RollupPeriodSplit;
  teamScoped: boolean;
}): RawBuilder<unknown> {
  const { from, to, split, teamScoped } = input;
  return sql`marks as (select kind, day from rollup_dirty),
    whole as (
      select exists (select 1 from marks where kind = 'all' ${teamScoped ? sql`or kind = 'teams'` : sql``})
        or not exists (select 1 from rollup_state) as v
    ),
    fresh as (select distinct day from marks where kind = 'day' and day >= ${split.day1}::date and day < ${split.day2}::date),
    ranges as (
      select ${from}::timestamptz as lo, ${to}::timestamptz as hi where (select v from whole)
      union all
      select lo, hi from (values ${edgeValuesOf(split.edges)}) e(lo, hi) where lo < hi and not (select v from whole)
      union all
      select day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC' from fresh
      where not (select v from whole)
    )`;
}
