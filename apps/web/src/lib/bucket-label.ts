const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Axis or tooltip label of a bucket start (ISO-8601 UTC): its UTC date as `1 Mar`, or `1 Mar 2026`
 * with `withYear`. Buckets are UTC dates, so the label never shifts with the browser's timezone.
 * @returns the input unchanged when it is not an ISO date-time
 */
export function bucketLabel(bucket: string, withYear = false): string {
  const at = new Date(bucket);
  if (Number.isNaN(at.getTime())) return bucket;
  const label = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}`;
  return withYear ? `${label} ${at.getUTCFullYear()}` : label;
}
