/**
 * Rank of an incident severity as incident tools write it: 1 is the worst. Reads `SEV1`/`sev-2`,
 * `P1`..`P5` (PagerDuty, Opsgenie), a bare digit, and the words critical (1), high/major (2),
 * medium/moderate (3), low/minor (4), info (5), case-insensitively.
 * @returns the rank 1..5, or null when the text names none
 */
export function severityRank(severity: string | null): number | null {
  if (severity === null) return null;
  const text = severity.trim().toLowerCase();
  const numbered = /^(?:sev(?:erity)?\s*-?\s*|p)?([1-5])$/.exec(text);
  if (numbered) return Number(numbered[1]);
  const words: Record<string, number> = {
    critical: 1,
    high: 2,
    major: 2,
    medium: 3,
    moderate: 3,
    low: 4,
    minor: 4,
    info: 5,
  };
  return words[text] ?? null;
}
