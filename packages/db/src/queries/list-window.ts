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
 * the row id keeps pages stable. `notNull`: sort keys the list's rows never hold null for (a
 * NOT NULL column, or one its WHERE requires): ordered without `nulls last`, the same order,
 * which lets PostgreSQL walk an index on the key backwards for `desc` (a btree read backwards
 * gives `desc nulls first`) and stop after the page instead of sorting every row.
 * @throws Error for a sort key the list does not have (the API validates it first)
 */
export function orderBy(
  window: ListWindow,
  keys: SortKeys,
  tieBreak: RawBuilder<unknown>,
  notNull: readonly string[] = [],
): RawBuilder<unknown> {
  const expression = keys[window.sort];
  if (!expression) throw new Error(`unknown sort key ${window.sort}`);
  const direction = window.order === 'asc' ? sql`asc` : sql`desc`;
  const nulls = notNull.includes(window.sort) ? sql`` : sql`nulls last`;
  return sql`order by ${expression} ${direction} ${nulls}, ${tieBreak} ${direction}`;
}

/** `and <expr>` for true, `and not <expr>` for false, nothing when the filter is not given. */
export const flag = (value: boolean | undefined, expr: RawBuilder<boolean>): RawBuilder<unknown> =>
  value === undefined ? sql`` : value ? sql`and ${expr}` : sql`and not ${expr}`;

/**
 * One page of a list and its total: `page` (the rows of the window: `order by … limit … offset …`)
 * and `count` (`select count(*)::int as total` over the same rows: same FROM and WHERE), run
 * concurrently. Two statements instead of `count(*) over ()` in the page query: a window
 * function over every matching row made PostgreSQL fetch and sort all of them (53,000
 * deployments for an org quarter at xl) to return 50; the page alone walks an index in order and
 * stops at the window's end, and the count reads what it needs to count (often an index).
 */
export async function paged<Row>(
  db: Db,
  page: RawBuilder<Row>,
  count: RawBuilder<{ total: number }>,
): Promise<ListResult<Row>> {
  const [rows, counted] = await Promise.all([page.execute(db), count.execute(db)]);
  return { rows: rows.rows, total: Number(counted.rows[0]?.total ?? 0) };
}
