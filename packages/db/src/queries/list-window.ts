import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../connection.ts';

/** Paging and ordering of a drill-down list; `sort` is one of the list's sort keys. */
export interface ListWindow {
  limit: number;
  offset: number;
  sort: string;
  order: 'asc' | 'desc';
}

/** One page of a drill-down list and the count of every matching row. */
export interface ListResult<Row> {
  rows: Row[];
  total: number;
}

/** A list's sort keys (the API's `sort` values) and the SQL expression each orders by. */
export type SortKeys = Readonly<Record<string, RawBuilder<unknown>>>;

/**
 * `order by <the sort key's expression> <order> nulls last, <tieBreak> <order>`: the tie-break on
 * the row id keeps pages stable.
 * @throws Error for a sort key the list does not have (the API validates it first)
 */
export function orderBy(
  window: ListWindow,
  keys: SortKeys,
  tieBreak: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const expression = keys[window.sort];
  if (!expression) throw new Error(`unknown sort key ${window.sort}`);
  const direction = window.order === 'asc' ? sql`asc` : sql`desc`;
  return sql`order by ${expression} ${direction} nulls last, ${tieBreak} ${direction}`;
}

/** `and <expr>` for true, `and not <expr>` for false, nothing when the filter is not given. */
export const flag = (value: boolean | undefined, expr: RawBuilder<boolean>): RawBuilder<unknown> =>
  value === undefined ? sql`` : value ? sql`and ${expr}` : sql`and not ${expr}`;

/** Runs a page query (rows carry `count(*) over ()` as total); a page past the end still gets the total. */
export async function paged<Row>(
  db: Db,
  window: ListWindow,
  query: (limit: number, offset: number) => RawBuilder<Row & { total: number }>,
): Promise<ListResult<Row>> {
  let result = await query(window.limit, window.offset).execute(db);
  const rows = result.rows.map(({ total: _t, ...row }) => row as Row);
  if (result.rows.length === 0 && window.offset > 0) result = await query(1, 0).execute(db);
  return { rows, total: Number(result.rows[0]?.total ?? 0) };
}
