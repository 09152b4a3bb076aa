import type { PerformanceLevel, SizeBand } from '@stride/shared';

/** The five DORA metrics, keyed as in the API contract's `DoraMetrics`. */
export const doraMetricKeys = [
  'deploymentFrequency',
  'changeLeadTime',
  'changeFailureRate',
  'failedDeploymentRecoveryTime',
  'deploymentReworkRate',
] as const;
export type DoraMetricKey = (typeof doraMetricKeys)[number];

/** Display name and short definition of each metric (docs/metrics.md, "The five DORA metrics"). */
export const doraMetricInfo: Record<
  DoraMetricKey,
  { label: string; unit: 'count' | 'seconds' | 'ratio'; definition: string; drill: DrillKind }
> = {
  deploymentFrequency: {
    label: 'Deployment frequency',
    unit: 'count',
    definition:
      'Production deployments whose deployment time is in the period; level from the median deployment days per week.',
    drill: 'deployments',
  },
  changeLeadTime: {
    label: 'Change lead time',
    unit: 'seconds',
    definition: 'deployed_at − first commit of the changes deployed in the period (p50; p90 shown beside).',
    drill: 'changes',
  },
  changeFailureRate: {
    label: 'Change failure rate',
    unit: 'ratio',
    definition:
      'Production deployments that caused an incident or were rolled back / reverted, over all production deployments.',
    drill: 'deployments',
  },
  failedDeploymentRecoveryTime: {
    label: 'Failed deployment recovery time',
    unit: 'seconds',
    definition: 'resolved − started of incidents with a causing deployment, resolved in the period (p50).',
    drill: 'incidents',
  },
  deploymentReworkRate: {
    label: 'Rework rate',
    unit: 'ratio',
    definition:
      'Production deployments that were unplanned (ship a bug, hotfix or revert change), over all production deployments. No level.',
    drill: 'deployments',
  },
};

export type DrillKind = 'deployments' | 'changes' | 'incidents';

/**
 * What a DORA trend chart's value axis measures, in the headline's unit (deployment frequency per
 * week like its headline, durations as p50, rates as a share of deployments). Trend charts add the
 * duration unit of their ticks (`(days)`) or `(%)`.
 */
export const doraAxisTitles: Record<DoraMetricKey, string> = {
  deploymentFrequency: 'Deployments per week',
  changeLeadTime: 'Lead time p50',
  changeFailureRate: 'Failed deployments',
  failedDeploymentRecoveryTime: 'Recovery time p50',
  deploymentReworkRate: 'Unplanned deployments',
};

/** The time axis title of a series by granularity (bucket starts, UTC). */
export function timeAxisTitle(granularity: 'day' | 'week' | 'month' | 'quarter'): string {
  return granularity === 'week'
    ? 'Week starting (UTC)'
    : granularity === 'day'
      ? 'Day (UTC)'
      : granularity === 'month'
        ? 'Month (UTC)'
        : 'Quarter (UTC)';
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Formats a duration in seconds as the two largest units, e.g. `2d 4h`, `35m`; `—` for null. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < MINUTE) return `${s}s`;
  if (s < HOUR) return `${Math.round(s / MINUTE)}m`;
  if (s < DAY) {
    const h = Math.floor(s / HOUR);
    const m = Math.round((s - h * HOUR) / MINUTE);
    return m === 0 || m === 60 ? `${m === 60 ? h + 1 : h}h` : `${h}h ${m}m`;
  }
  const d = Math.floor(s / DAY);
  const h = Math.round((s - d * DAY) / HOUR);
  return h === 0 || h === 24 ? `${h === 24 ? d + 1 : d}d` : `${d}d ${h}h`;
}

/** Axis tick of a duration: the largest unit with at most one decimal, e.g. `2.5d`, `16h`, `40m`. */
export function formatDurationTick(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  // The axis title carries the unit; a bare 0 does not read as seconds on a days axis.
  if (seconds === 0) return '0';
  const units: [number, string][] = [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(seconds) >= size) return `${Number((seconds / size).toFixed(1))}${suffix}`;
  }
  return `${Math.round(seconds)}s`;
}

/** Axis tick of any unit (shorter than `formatValue`). */
export function formatTick(unit: 'count' | 'seconds' | 'ratio', value: number): string {
  if (unit === 'seconds') return formatDurationTick(value);
  if (unit === 'ratio') return `${Number((value * 100).toFixed(1))} %`;
  return formatNumber(value, 1);
}

/** Formats a ratio 0..1 as a percentage with one decimal under 10 %, e.g. `4.5 %`, `12 %`. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  const digits = pct !== 0 && Math.abs(pct) < 10 ? 1 : 0;
  return `${pct.toFixed(digits)} %`;
}

/** Formats a count with thousands separators; up to one decimal for rates such as per week. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(digits).format(value);
}

// `toLocaleString` with options builds a formatter per call; the overview formats thousands of
// figures while it draws (a profiled cold load spent ~0.2 s there), so formatters are kept.
const numberFormats = new Map<number, Intl.NumberFormat>();
function numberFormat(digits: number): Intl.NumberFormat {
  let format = numberFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(digits, format);
  }
  return format;
}

/** Formats a series or headline value of the given unit. */
export function formatValue(unit: 'count' | 'seconds' | 'ratio', value: number | null | undefined): string {
  if (unit === 'seconds') return formatDuration(value);
  if (unit === 'ratio') return formatRatio(value);
  return formatNumber(value, 1);
}

/**
 * Level presentation. Colours pass WCAG AA as text on white and on their own tint; each level also
 * has a distinct icon and its name, so colour is never the only cue.
 */
export const levelInfo: Record<
  PerformanceLevel,
  { label: string; icon: string; color: string; tint: string }
> = {
  elite: { label: 'Elite', icon: '★', color: '#0b5d1e', tint: '#d7f0dc' },
  high: { label: 'High', icon: '▲', color: '#1d4f91', tint: '#dce8f7' },
  medium: { label: 'Medium', icon: '◆', color: '#7a4b00', tint: '#fbe8c8' },
  low: { label: 'Low', icon: '▼', color: '#9b1c1c', tint: '#f8dada' },
};

export const levelOrder: readonly PerformanceLevel[] = ['elite', 'high', 'medium', 'low'];

/** Text for a level badge, e.g. `★ Elite`, or `No level` for null (rework rate, no data). */
export function levelText(level: PerformanceLevel | null): string {
  if (!level) return 'No level';
  const info = levelInfo[level];
  return `${info.icon} ${info.label}`;
}

/**
 * A per-contributor weekly rate, e.g. `1.5`; `—` when it is null or there are no active
 * contributors in the period (a 0 there would read as a measured rate).
 */
export function formatPerContributor(value: number | null | undefined, contributors: number): string {
  if (contributors <= 0) return '—';
  return formatNumber(value, 1);
}

/**
 * Axis labels of repositories (`owner/name`): the name alone when all share one owner, else as is.
 */
export function repositoryLabels(repositories: readonly string[]): string[] {
  const owners = new Set(repositories.map((r) => (r.includes('/') ? r.slice(0, r.indexOf('/')) : '')));
  if (owners.size !== 1 || owners.has('')) return [...repositories];
  return repositories.map((r) => r.slice(r.indexOf('/') + 1));
}

export const sizeBandInfo: Record<SizeBand, { label: string; hint: string }> = {
  fragile: { label: 'Fragile', hint: 'under 4 members' },
  small: { label: 'Small', hint: '4–7 members' },
  medium: { label: 'Medium', hint: '8–11 members' },
  large: { label: 'Large', hint: '12+ members, consider splitting' },
};

/**
 * The one unit duration ticks up to `maxSeconds` are written in (see durationTicks): days from
 * two days, hours from two hours, else minutes. @returns its name for an axis title and its size
 * in seconds.
 */
export function durationUnit(maxSeconds: number): { name: 'days' | 'hours' | 'minutes'; seconds: number } {
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) return { name: 'hours', seconds: HOUR };
  if (maxSeconds >= 2 * DAY) return { name: 'days', seconds: DAY };
  if (maxSeconds >= 2 * HOUR) return { name: 'hours', seconds: HOUR };
  return { name: 'minutes', seconds: MINUTE };
}

/**
 * A duration axis tick in the axis's one unit (durationUnit of the axis maximum), so every tick
 * of an axis titled "(hours)" reads in hours: `30h`, not `1.3d`.
 */
export function formatDurationTickIn(seconds: number, maxSeconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  if (seconds === 0) return '0';
  const unit = durationUnit(maxSeconds);
  return `${Number((seconds / unit.seconds).toFixed(1))}${unit.name[0]}`;
}

/**
 * Axis ticks for durations on round values of one unit (days, hours or minutes), from 0 to at
 * least `maxSeconds`, about 4-6 ticks. @returns tick values in seconds.
 */
export function durationTicks(maxSeconds: number): number[] {
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) return [0, HOUR];
  const unit = durationUnit(maxSeconds).seconds;
  const span = maxSeconds / unit;
  const raw = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude) * unit;
  const ticks: number[] = [];
  for (let t = 0; t < maxSeconds + step; t += step) ticks.push(Math.round(t));
  return ticks;
}
