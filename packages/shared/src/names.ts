// Natural order of display names ("Team 2" before "Team 10"), the same in the API and the web.

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Compares two display names (teams, scopes) in natural order: digit runs compare as numbers
 * ("Team 2" < "Team 10" < "team 11"), letters without regard to case or accents (English
 * collation, locale-independent so every server and browser agrees). Ties (e.g. "Ops" and
 * "ops") compare equal: callers break them with a stable key such as the slug.
 * @returns negative, zero or positive, as `Array.prototype.sort` expects
 */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}
