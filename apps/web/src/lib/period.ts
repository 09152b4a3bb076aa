import type { BenchmarkYear, Granularity, MetricsQuery } from '@stride/shared';
import {
  addDays,
  differenceInCalendarDays,
  formatISO,
  parseISO,
  startOfQuarter,
  subDays,
  subMonths,
} from 'date-fns';

/** Period presets of the date-range picker. `custom` reads `from`/`to` from the URL. */
export const periodPresets = ['30d', '90d', 'quarter', 'last-quarter', 'year', 'custom'] as const;
export type PeriodPreset = (typeof periodPresets)[number];
export const presetLabels: Record<PeriodPreset, string> = {
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  quarter: 'This quarter',
  'last-quarter': 'Last quarter',
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

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

function day(date: Date): string {
  return formatISO(date, { representation: 'date' });
}

/**
 * Resolves a preset to `[from, to)` dates, `today` being the UTC date the view is computed on;
 * `to` is tomorrow so that today's data is included.
 */
export function resolvePreset(
  preset: Exclude<PeriodPreset, 'custom'>,
  today: Date,
): { from: string; to: string } {
  const end = addDays(parseISO(day(today)), 1);
  switch (preset) {
    case '30d':
      return { from: day(subDays(end, 30)), to: day(end) };
    case '90d':
      return { from: day(subDays(end, 90)), to: day(end) };
    case 'quarter':
      return { from: day(startOfQuarter(parseISO(day(today)))), to: day(end) };
    case 'last-quarter': {
      // The previous full calendar quarter; its trend compares with the quarter before.
      const thisQuarter = startOfQuarter(parseISO(day(today)));
      return { from: day(startOfQuarter(subMonths(thisQuarter, 3))), to: day(thisQuarter) };
    }
    case 'year':
      return { from: day(subDays(end, 365)), to: day(end) };
  }
}

/** Default granularity: weeks for up to ~half a year, months beyond. */
export function defaultGranularity(from: string, to: string): Granularity {
  return differenceInCalendarDays(parseISO(to), parseISO(from)) > 180 ? 'month' : 'week';
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
    if (fromParam && toParam && isoDay.test(fromParam) && isoDay.test(toParam) && fromParam < toParam) {
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
  const granularity: Granularity =
    g === 'day' || g === 'week' || g === 'month' ? g : defaultGranularity(range.from, range.to);
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

/**
 * "Since last retro": the period from the retro date to `to` and the equal-length period
 * just before the retro. @returns ISO dates, `to` exclusive.
 */
export function retroPeriods(
  retro: string,
  to: string,
): { current: { from: string; to: string }; before: { from: string; to: string } } {
  const days = Math.max(1, differenceInCalendarDays(parseISO(to), parseISO(retro)));
  return {
    current: { from: retro, to },
    before: { from: day(subDays(parseISO(retro), days)), to: retro },
  };
}

/** Human period text, e.g. `2026-08-25 – 2026-11-23` (inclusive end). */
export function periodText(from: string, to: string): string {
  const end = subDays(parseISO(to.slice(0, 10)), 1);
  return `${from.slice(0, 10)} – ${day(end)}`;
}
