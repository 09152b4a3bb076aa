import { describe, expect, it } from 'vitest';
import { escapeCsvField, toCsv } from './csv.ts';

describe('RFC 4180 CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['-1+2', "'-1+2"],
    [-1.5, '-1.5'],
    [null, ''],
    [undefined, ''],
    [true, 'true'],
    [Number.NaN, ''],
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
