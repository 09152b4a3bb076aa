import { describe, expect, it } from 'vitest';
import { fileSlug } from './file-slug.ts';

describe('fileSlug', () => {
  it('makes kebab-case file names', () => {
    expect(fileSlug('Change lead time', 'by week')).toBe('change-lead-time-by-week');
  });
});
