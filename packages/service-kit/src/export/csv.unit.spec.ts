import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, csvRow } from './csv.js';

describe('csvCell', () => {
  it('leaves plain text as it is', () => {
    expect(csvCell('Case Management')).toBe('Case Management');
    expect(csvCell('24-26')).toBe('24-26');
    expect(csvCell('')).toBe('');
  });

  it('quotes a field with a comma, a quote or a line break, doubling its quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it.each(['=1+1', '+31 6', '-2', '@SUM(A1)', '\tx', '\rx'])(
    'makes %j text rather than a spreadsheet formula',
    (value) => {
      expect(csvCell(value).replace(/^"/, '').startsWith(`'`)).toBe(true);
    },
  );

  it('guards a formula before quoting it, so the guard sits inside the quotes', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=1+1')).toBe(`'=1+1`);
  });
});

describe('csvDocument', () => {
  it('writes the header, then one record per row, each ended by CRLF', () => {
    expect(
      csvDocument(
        ['id', 'note'],
        [
          ['1', 'plain'],
          ['2', 'a, b'],
        ],
      ),
    ).toBe('id,note\r\n1,plain\r\n2,"a, b"\r\n');
  });

  it('writes only the header when there are no rows', () => {
    expect(csvDocument(['id', 'note'], [])).toBe('id,note\r\n');
  });

  it('guards every field, the header too', () => {
    expect(csvRow(['-1', 'ok'])).toBe(`'-1,ok`);
  });
});
