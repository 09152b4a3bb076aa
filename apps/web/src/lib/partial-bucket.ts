import {
  bucketEnd as bucketEndOf,
  type Granularity,
  parseIsoInstant,
  isPartialBucket as partialIn,
} from '@stride/metrics';
import type { SeriesPoint } from '@stride/shared';

/** The period `[from, to)` a series was computed over and its bucket size. */
export interface BucketSpan {
  granularity: Granularity;
  /** Inclusive start, `YYYY-MM-DD` or ISO-8601 UTC. */
  from: string;
  /** Exclusive end, `YYYY-MM-DD` or ISO-8601 UTC. */
  to: string;
}

const invalid = new Date(Number.NaN);
const instant = (value: string): Date => parseIsoInstant(value) ?? invalid;

/** End (exclusive) of the bucket starting at `bucket` (ISO-8601 UTC), in UTC whatever the browser's timezone. */
export function bucketEnd(bucket: string, granularity: Granularity): Date {
  return bucketEndOf(instant(bucket), granularity);
}

/**
 * Whether a bucket extends beyond the period `[from, to)`, i.e. only part of it lies in the
 * period (a week holding one day of a period ending today): its value is not comparable with a
 * full bucket's, so charts mark it and sparklines leave it out. Unreadable dates: not partial.
 */
export function isPartialBucket(bucket: string, span: BucketSpan): boolean {
  return partialIn(instant(bucket), span.granularity, { from: instant(span.from), to: instant(span.to) });
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
