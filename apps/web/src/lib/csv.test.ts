import { describe, expect, it } from 'vitest';
import { fileSlug, toCsv } from './csv.ts';

describe('toCsv', () => {
  it('quotes commas, quotes and newlines, leaves nulls empty, ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [null, 'two\nlines'],
          [1.5, undefined],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n,"two\nlines"\r\n1.5,\r\n');
  });
  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(toCsv(['v'], [['=SUM(A1)'], [-3], ['-2.5']])).toBe("v\r\n'=SUM(A1)\r\n-3\r\n-2.5\r\n");
  });
});

describe('fileSlug', () => {
  it('makes kebab-case file names', () => {
    expect(fileSlug('Change lead time', 'by week')).toBe('change-lead-time-by-week');
  });
});
