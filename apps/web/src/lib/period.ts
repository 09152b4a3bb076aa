import {
  addUtcDays,
  addUtcMonths,
  type BenchmarkYear,
  bucketStart,
  calendarDaysBetween,
  formatIsoDate,
  type Granularity,
  isIsoDate,
  parseIsoDate,
  startOfUtcDay,
} from '@stride/metrics';
import type { MetricsQuery } from '@stride/shared';

/** Period presets of the date-range picker. `custom` reads `from`/`to` from the URL. */
export const periodPresets = [
  '30d',
  '90d',
  'quarter',
  'last-quarter',
  'last-4-quarters',
  'year',
  'custom',
] as const;
export type PeriodPreset = (typeof periodPresets)[number];
export const presetLabels: Record<PeriodPreset, string> = {
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  quarter: 'This quarter',
  'last-quarter': 'Last quarter',
  'last-4-quarters': 'Last 4 quarters',
  year: 'Last 12 months',
  custom: 'Custom',
};

/** Every filter of the dashboard; serialised into the URL so a link reproduces the view. */
export interface Filters {
  preset: PeriodPreset;
  /** Inclusive start date, YYYY-MM-DD. */
  from: string;
  /** Exclusive end date, YYYY-MM-DD (the API's `to` is exclusive). */
  to: string;
  granularity: Granularity;
  benchmark: BenchmarkYear;
}

/** Bucket sizes the dashboard offers (its granularity menu). */
export const dashboardGranularities: readonly Granularity[] = ['day', 'week', 'month', 'quarter'];

/**
 * Midnight UTC of a `YYYY-MM-DD` date (or of the date of an ISO date-time's first 10 characters).
 * @throws RangeError when it is not such a date
 */
function dateOf(text: string): Date {
  const date = parseIsoDate(text.slice(0, 10));
  if (!date) throw new RangeError(`not an ISO date: '${text}'`);
  return date;
}

/**
 * Resolves a preset to `[from, to)` dates, `today` being the UTC date the view is computed on;
 * `to` is tomorrow so that today's data is included.
 */
export function resolvePreset(
  preset: Exclude<PeriodPreset, 'custom'>,
  today: Date,
): { from: string; to: string } {
  const end = addUtcDays(startOfUtcDay(today), 1);
  const range = (from: Date, to: Date) => ({ from: formatIsoDate(from), to: formatIsoDate(to) });
  switch (preset) {
    case '30d':
      return range(addUtcDays(end, -30), end);
    case '90d':
      return range(addUtcDays(end, -90), end);
    case 'quarter':
      return range(bucketStart(today, 'quarter'), end);
    case 'last-quarter': {
      // The previous full calendar quarter; its trend compares with the quarter before.
      const thisQuarter = bucketStart(today, 'quarter');
      return range(addUtcMonths(thisQuarter, -3), thisQuarter);
    }
    case 'last-4-quarters': {
      // The four full calendar quarters before this one (board meetings).
      const thisQuarter = bucketStart(today, 'quarter');
      return range(addUtcMonths(thisQuarter, -12), thisQuarter);
    }
    case 'year':
      return range(addUtcDays(end, -365), end);
  }
}

/**
 * Default granularity of a period: weeks for up to ~half a year, months up to two years,
 * quarters beyond; the "Last 4 quarters" preset is shown by quarter.
 */
export function defaultGranularity(from: string, to: string, preset?: PeriodPreset): Granularity {
  if (preset === 'last-4-quarters') return 'quarter';
  const days = calendarDaysBetween(dateOf(from), dateOf(to));
  return days > 2 * 365 ? 'quarter' : days > 180 ? 'month' : 'week';
}

/**
 * Reads the filters from URL search params, with defaults (last 90 days, weekly, benchmark 2023).
 * Invalid values fall back to the defaults rather than failing the page.
 */
export function parseFilters(params: URLSearchParams, today: Date = new Date()): Filters {
  const rawPreset = params.get('period');
  let preset: PeriodPreset = (periodPresets as readonly string[]).includes(rawPreset ?? '')
    ? (rawPreset as PeriodPreset)
    : '90d';
  const fromParam = params.get('from');
  const toParam = params.get('to');
  let range: { from: string; to: string };
  if (preset === 'custom' || (!rawPreset && fromParam && toParam)) {
    if (fromParam && toParam && isIsoDate(fromParam) && isIsoDate(toParam) && fromParam < toParam) {
      range = { from: fromParam, to: toParam };
      preset = 'custom';
    } else {
      preset = '90d';
      range = resolvePreset('90d', today);
    }
  } else {
    range = resolvePreset(preset as Exclude<PeriodPreset, 'custom'>, today);
  }
  const g = params.get('granularity');
  const granularity =
    dashboardGranularities.find((offered) => offered === g) ??
    defaultGranularity(range.from, range.to, preset);
  const benchmark: BenchmarkYear = params.get('benchmark') === '2024' ? 2024 : 2023;
  return { preset, ...range, granularity, benchmark };
}

/** Writes filters into URL params (keeping unrelated params); presets omit the dates. */
export function writeFilters(params: URLSearchParams, filters: Filters): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('period', filters.preset);
  if (filters.preset === 'custom') {
    next.set('from', filters.from);
    next.set('to', filters.to);
  } else {
    next.delete('from');
    next.delete('to');
  }
  next.set('granularity', filters.granularity);
  next.set('benchmark', String(filters.benchmark));
  return next;
}

/** The API query of a set of filters. */
export function metricsQuery(filters: Filters): MetricsQuery {
  return {
    from: filters.from,
    to: filters.to,
    granularity: filters.granularity,
    benchmark: filters.benchmark === 2024 ? '2024' : '2023',
  };
}

/** The retro date the comparison starts with: two weeks before the period's (exclusive) end. */
export function defaultRetroDate(to: string): string {
  return formatIsoDate(addUtcDays(dateOf(to), -14));
}

/**
 * The retro date of the URL's `retro` when it is a date before `to`, otherwise the default
 * (defaultRetroDate): a hand-edited link never breaks the page.
 */
export function resolveRetroDate(retro: string | null, to: string): string {
  return retro !== null && isIsoDate(retro) && retro < to ? retro : defaultRetroDate(to);
}

/**
 * "Since last retro": the period from the retro date to `to` and the equal-length period
 * just before the retro. @returns ISO dates, `to` exclusive.
 * @throws RangeError when a date is not `YYYY-MM-DD`
 */
export function retroPeriods(
  retro: string,
  to: string,
): { current: { from: string; to: string }; before: { from: string; to: string } } {
  const start = dateOf(retro);
  const days = Math.max(1, calendarDaysBetween(start, dateOf(to)));
  return {
    current: { from: retro, to },
    before: { from: formatIsoDate(addUtcDays(start, -days)), to: retro },
  };
}

/** Human period text, e.g. `2026-08-25 – 2026-11-23` (inclusive end). */
export function periodText(from: string, to: string): string {
  return `${from.slice(0, 10)} – ${formatIsoDate(addUtcDays(dateOf(to), -1))}`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Axis label of a bucket start (ISO-8601 UTC), in UTC: `Q3 2026`, `Jul 2026`, `7 Sep`.
 * @param long with the year for days and weeks (tooltips)
 */
export function bucketLabel(bucket: string, granularity: Granularity, long = false): string {
  const at = new Date(bucket.length === 10 ? `${bucket}T00:00:00Z` : bucket);
  if (Number.isNaN(at.getTime())) return bucket;
  const year = at.getUTCFullYear();
  if (granularity === 'quarter') return `Q${Math.floor(at.getUTCMonth() / 3) + 1} ${year}`;
  if (granularity === 'month') return `${months[at.getUTCMonth()]} ${year}`;
  const day = `${at.getUTCDate()} ${months[at.getUTCMonth()]}`;
  return long ? `${day} ${year}` : day;
}
