import {
  GRANULARITIES,
  type Granularity,
  isGranularity,
  parseIsoInstant,
  previousPeriod,
} from '@stride/metrics';
import { invalidParameter } from '@stride/shared';

const DAY_MS = 86_400_000;
/** Longest period a request may ask for: 3 years (leap day included). */
export const MAX_PERIOD_DAYS = 366 * 3;
/** Period used when the request gives no `from`. */
export const DEFAULT_PERIOD_DAYS = 90;

/**
 * Parses an ISO date (`2025-01-31`, midnight UTC) or date-time with an offset (parseIsoInstant).
 * @throws StrideError invalid_parameter naming `name`
 */
export function parseInstant(name: string, value: string): Date {
  const at = parseIsoInstant(value.trim());
  if (!at) {
    throw invalidParameter(
      name,
      `'${value}' is not a valid ISO date (YYYY-MM-DD) or date-time with offset (YYYY-MM-DDThh:mm:ssZ)`,
    );
  }
  return at;
}

export interface ResolvedPeriod {
  from: Date;
  to: Date;
  previous: { from: Date; to: Date };
}

/**
 * The half-open period [from, to) of a request (docs/metrics.md, Conventions): `to` defaults to
 * `now`, `from` to 90 days before `to`.
 * @throws StrideError invalid_parameter naming `from`/`to` when unparsable, when from >= to, or
 *   when the period is longer than 3 years
 */
export function resolvePeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): ResolvedPeriod {
  const to = query.to === undefined ? now : parseInstant('to', query.to);
  const from =
    query.from === undefined
      ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS)
      : parseInstant('from', query.from);
  if (from.getTime() >= to.getTime()) throw invalidParameter('from', 'must be before to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw invalidParameter('from', `the period from..to must not exceed 3 years (${MAX_PERIOD_DAYS} days)`);
  }
  return { from, to, previous: previousPeriod(from, to) };
}

/** Granularity of a metrics request; default `week`. */
export function resolveGranularity(value: string | undefined): Granularity {
  if (value === undefined) return 'week';
  if (isGranularity(value)) return value;
  throw invalidParameter('granularity', `'${value}' is not one of ${GRANULARITIES.join(', ')}`);
}

/**
 * Daily buckets over a long period would make a huge series: cap the number of buckets.
 * @throws StrideError invalid_parameter naming `granularity`
 */
export function assertBucketCount(from: Date, to: Date, granularity: Granularity): void {
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (granularity === 'day' && days > 366) {
    throw invalidParameter('granularity', 'day buckets are limited to periods of at most 366 days');
  }
}
