import type { Granularity, SeriesPoint } from '@stride/shared';
import { addDays, addMonths, parseISO } from 'date-fns';

/** The period `[from, to)` a series was computed over and its bucket size. */
export interface BucketSpan {
  granularity: Granularity;
  /** Inclusive start, `YYYY-MM-DD` or ISO-8601 UTC. */
  from: string;
  /** Exclusive end, `YYYY-MM-DD` or ISO-8601 UTC. */
  to: string;
}

function instant(value: string): number {
  return parseISO(value.length === 10 ? `${value}T00:00:00Z` : value).getTime();
}

/** End (exclusive) of the bucket starting at `bucket` (ISO-8601 UTC): +1 day, +7 days or +1 month. */
export function bucketEnd(bucket: string, granularity: Granularity): Date {
  const start = parseISO(bucket);
  return granularity === 'day'
    ? addDays(start, 1)
    : granularity === 'week'
      ? addDays(start, 7)
      : addMonths(start, 1);
}

/**
 * Whether a bucket extends beyond the period `[from, to)`, i.e. only part of it lies in the
 * period (a week holding one day of a period ending today): its value is not comparable with a
 * full bucket's, so charts mark it and sparklines leave it out.
 */
export function isPartialBucket(bucket: string, span: BucketSpan): boolean {
  const start = parseISO(bucket).getTime();
  const end = bucketEnd(bucket, span.granularity).getTime();
  return start < instant(span.from) || end > instant(span.to);
}

/** The bucket starts (as given) of `buckets` that are partial in `span`. */
export function partialBuckets(buckets: readonly string[], span: BucketSpan): Set<string> {
  return new Set(buckets.filter((b) => isPartialBucket(b, span)));
}

/** `series` without its partial buckets (sparklines). */
export function completeBuckets<P extends Pick<SeriesPoint, 'bucket'>>(
  series: readonly P[],
  span: BucketSpan,
): P[] {
  return series.filter((p) => !isPartialBucket(p.bucket, span));
}

/** Footnote of the partial buckets, e.g. `partial week: the last bucket covers only part of a week`. */
export function partialNote(first: boolean, last: boolean, granularity: Granularity): string | null {
  if (!first && !last) return null;
  const which =
    first && last
      ? 'the first and last buckets cover'
      : first
        ? 'the first bucket covers'
        : 'the last bucket covers';
  return `Hollow point, dashed segment: partial ${granularity}, ${which} only part of a ${granularity} in the period; not comparable with full ${granularity}s.`;
}
