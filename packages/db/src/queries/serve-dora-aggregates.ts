import type { Granularity } from '@stride/metrics';
import type { Db } from '../connection.ts';
import { type DoraAggregates, emptyAggregate } from './get-dora-aggregates.ts';
import type { MetricScope } from './metric-scope.ts';
import { readDoraRollups } from './rollups/read-dora-rollups.ts';

/**
 * The DORA aggregates of a scope over [from, to) as the API serves them: from the day rollups
 * (`readDoraRollups`; edges and days changed since the last refresh computed from the raw tables),
 * the same figures as `getDoraAggregatesFromRaw` to the bit (docs/metrics.md, "How figures are
 * served"). Shapes and units as `getDoraAggregatesFromRaw`.
 */
export async function getDoraAggregates(
  db: Db,
  input: { scope: MetricScope; from: Date; to: Date; granularity?: Granularity | undefined },
): Promise<DoraAggregates> {
  const { scope, ...period } = input;
  const groups = await readDoraRollups(db, { target: scope, ...period });
  return groups.get('') ?? { total: emptyAggregate(), buckets: new Map(), deploymentDates: [] };
}
