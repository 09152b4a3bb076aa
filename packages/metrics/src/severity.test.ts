import { describe, expect, it } from 'vitest';
import { severityRank } from './severity.ts';

describe('incident severity rank', () => {
  it.each([
    ['SEV1', 1],
    ['sev-2', 2],
    ['Severity 3', 3],
    ['P1', 1],
    ['4', 4],
    ['Critical', 1],
    ['major', 2],
    ['minor', 4],
    ['whatever', null],
    ['P9', null],
    [null, null],
  ] as const)('%s → %s', (text, rank) => {
    expect(severityRank(text)).toBe(rank);
  });
});
