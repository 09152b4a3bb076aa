import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type Filters, metricsQuery, parseFilters, writeFilters } from '../../lib/period.ts';

/**
 * The dashboard filters, read from and written to the URL (so a link reproduces the view).
 * @returns the filters, a setter merging a partial change, and the API query they give.
 */
export function useFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const query = useMemo(() => metricsQuery(filters), [filters]);
  const setFilters = (change: Partial<Filters>) => {
    setParams((current) => writeFilters(current, { ...parseFilters(current), ...change }), {
      replace: false,
    });
  };
  /** Query string carrying the filters, to keep them across links. */
  const search = writeFilters(new URLSearchParams(), filters).toString();
  return { filters, setFilters, query, search, params, setParams };
}
