import type { ListWindow, MetricScope } from '@stride/db';
import { invalidParameter, type ListQuery } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { type ResolvedPeriod, resolvePeriod } from './metrics-query.ts';
import { lastDayOf, resolveScope } from './scope.ts';

/** Rows of a `.csv` export at most (the whole list, not a page). */
export const CSV_ROW_LIMIT = 50_000;

/**
 * Resolves the common part of a drill-down request: period (default the last 90 days), scope
 * (`team` slug or `repository` full name, not both; default org), page window and sort key.
 * @throws StrideError 400 naming the parameter, 404 for an unknown team or repository
 */
export async function resolveListQuery(
  app: FastifyInstance,
  query: ListQuery,
  sortKeys: Readonly<Record<string, unknown>>,
  defaultSort: string,
  csv = false,
): Promise<{ period: ResolvedPeriod; scope: MetricScope; window: ListWindow }> {
  const period = resolvePeriod(query, new Date());
  if (query.team !== undefined && query.repository !== undefined) {
    throw invalidParameter('repository', 'give either team or repository, not both');
  }
  const on = lastDayOf(period.to);
  const target =
    query.team !== undefined
      ? ({ type: 'team', slug: query.team } as const)
      : query.repository !== undefined
        ? ({ type: 'repository', fullName: query.repository } as const)
        : ({ type: 'org' } as const);
  const { scope } = await resolveScope(app.db, target, on);
  const sort = query.sort ?? defaultSort;
  if (!(sort in sortKeys)) {
    throw invalidParameter('sort', `'${sort}' is not one of ${Object.keys(sortKeys).join(', ')}`);
  }
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const window: ListWindow = csv
    ? { limit: CSV_ROW_LIMIT, offset: 0, sort, order: query.order ?? 'desc' }
    : { limit: pageSize, offset: (page - 1) * pageSize, sort, order: query.order ?? 'desc' };
  return { period, scope, window };
}

export const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/**
 * One page of a drill-down answer (`pageOf(...)` in the API contract): the listed rows mapped to
 * API items, the total count of matching rows, and the page asked for (a CSV export is page 1
 * of everything, up to CSV_ROW_LIMIT rows).
 */
export function toListPage<Row, Item>(
  result: { rows: readonly Row[]; total: number },
  toItem: (row: Row) => Item,
  query: ListQuery,
  window: ListWindow,
  csv: boolean,
): { items: Item[]; total: number; page: number; pageSize: number } {
  return {
    items: result.rows.map(toItem),
    total: result.total,
    page: csv ? 1 : (query.page ?? 1),
    pageSize: window.limit,
  };
}
