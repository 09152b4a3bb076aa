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
export function edgeValuesOf(edges: [Date, Date][]): RawBuilder<unknown> {
  return edges.length
    ? sql.join(edges.map(([lo, hi]) => sql`(${lo}::timestamptz, ${hi}::timestamptz)`))
    : sql`(null::timestamptz, null::timestamptz)`;
}
