import type { Static } from '@sinclair/typebox';
import {
  BENCHMARK_YEARS,
  type BenchmarkYear,
  GRANULARITIES,
  type Granularity,
  PERFORMANCE_LEVELS,
  type PercentileSummary,
  type PerformanceLevel,
} from '@stride/metrics';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  BenchmarkYearSchema,
  type DurationStatSchema,
  GranularitySchema,
  type MetricsQuerySchema,
  PerformanceLevelSchema,
} from './common.ts';

// The contract's schemas are built from @stride/metrics' types: one definition, no drift.
describe('contract schemas of the period and level types', () => {
  it('have exactly the static types of @stride/metrics', () => {
    expectTypeOf<Static<typeof GranularitySchema>>().toEqualTypeOf<Granularity>();
    expectTypeOf<Static<typeof BenchmarkYearSchema>>().toEqualTypeOf<BenchmarkYear>();
    expectTypeOf<Static<typeof PerformanceLevelSchema>>().toEqualTypeOf<PerformanceLevel>();
    expectTypeOf<Static<typeof DurationStatSchema>>().toEqualTypeOf<PercentileSummary>();
    expectTypeOf<Static<typeof MetricsQuerySchema>['benchmark']>().toEqualTypeOf<
      `${BenchmarkYear}` | undefined
    >();
  });

  it('list every value as a literal (OpenAPI shows them)', () => {
    const consts = (schema: { anyOf: { const: unknown }[] }) => schema.anyOf.map((s) => s.const);
    expect(consts(GranularitySchema)).toEqual([...GRANULARITIES]);
    expect(consts(BenchmarkYearSchema)).toEqual([...BENCHMARK_YEARS]);
    expect(consts(PerformanceLevelSchema)).toEqual([...PERFORMANCE_LEVELS]);
  });
});
