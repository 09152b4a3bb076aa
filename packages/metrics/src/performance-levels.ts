/**
 * DORA performance levels from explicit boundaries (docs/metrics.md, "Performance levels"):
 * the State of DevOps 2023 levels as Apache DevLake encodes them (default) or the 2024 set. A
 * value exactly on a boundary takes the better level; a null value has a null level.
 * Levels are never derived from the report clusters: the 2024 clusters are not ordered on every
 * metric (medium has a lower change failure rate, 10 %, than high, 20 %).
 */
/** The four DORA performance levels, best first. */
export const PERFORMANCE_LEVELS = ['elite', 'high', 'medium', 'low'] as const;
export type PerformanceLevel = (typeof PERFORMANCE_LEVELS)[number];
/** The State of DevOps report years whose level boundaries and clusters Stride knows. */
export const BENCHMARK_YEARS = [2023, 2024] as const;
export type BenchmarkYear = (typeof BENCHMARK_YEARS)[number];

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Inclusive upper bounds per level for "lower is better" metrics. */
interface UpperBounds {
  elite: number;
  high: number;
  medium: number;
}

export const LEAD_TIME_BOUNDS: UpperBounds = { elite: DAY, high: 7 * DAY, medium: 30 * DAY };
export const RECOVERY_TIME_BOUNDS: UpperBounds = { elite: HOUR, high: DAY, medium: 7 * DAY };
export const CHANGE_FAILURE_RATE_BOUNDS: Record<BenchmarkYear, UpperBounds> = {
  2023: { elite: 0.05, high: 0.1, medium: 0.15 },
  2024: { elite: 0.05, high: 0.2, medium: 0.4 },
};

function levelAtMost(value: number | null, bounds: UpperBounds): PerformanceLevel | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (value <= bounds.elite) return 'elite';
  if (value <= bounds.high) return 'high';
  if (value <= bounds.medium) return 'medium';
  return 'low';
}

/**
 * Level of the change lead time from its p50 in seconds: elite <= 1 day, high <= 1 week,
 * medium <= 30 days, low otherwise. Same in 2023 and 2024.
 */
export function leadTimeLevel(
  p50Seconds: number | null,
  _year: BenchmarkYear = 2023,
): PerformanceLevel | null {
  return levelAtMost(p50Seconds, LEAD_TIME_BOUNDS);
}

/**
 * Level of the failed deployment recovery time from its p50 in seconds: elite <= 1 hour,
 * high <= 1 day, medium <= 1 week, low otherwise. Same in 2023 and 2024.
 */
export function recoveryTimeLevel(
  p50Seconds: number | null,
  _year: BenchmarkYear = 2023,
): PerformanceLevel | null {
  return levelAtMost(p50Seconds, RECOVERY_TIME_BOUNDS);
}

/**
 * Level of the change failure rate (ratio 0..1). 2023: elite <= 5 %, high <= 10 %,
 * medium <= 15 %; 2024: elite <= 5 %, high <= 20 %, medium <= 40 %; low above.
 */
export function changeFailureRateLevel(
  rate: number | null,
  year: BenchmarkYear = 2023,
): PerformanceLevel | null {
  return levelAtMost(rate, CHANGE_FAILURE_RATE_BOUNDS[year]);
}

/**
 * Level of the deployment frequency: elite when the median number of deployment days per week
 * is >= 5 (on demand), high when >= 1 (daily to weekly), medium when the median number of
 * deployment days per 30-day month is >= 1, low otherwise. Same in 2023 and 2024.
 * @returns null when either median is null (no whole window, or no deployments: n = 0)
 */
export function deploymentFrequencyLevel(
  medianDaysPerWeek: number | null,
  medianDaysPerMonth: number | null,
  _year: BenchmarkYear = 2023,
): PerformanceLevel | null {
  if (medianDaysPerWeek === null || medianDaysPerMonth === null) return null;
  if (medianDaysPerWeek >= 5) return 'elite';
  if (medianDaysPerWeek >= 1) return 'high';
  if (medianDaysPerMonth >= 1) return 'medium';
  return 'low';
}
