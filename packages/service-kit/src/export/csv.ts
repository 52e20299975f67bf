/**
 * CSV as RFC 4180 writes it (comma separated, CRLF line ends, a field with a quote, comma or line
 * break quoted and its quotes doubled), made safe to open in a spreadsheet: a field that starts
 * with a formula character (`=`, `+`, `-`, `@`, tab, carriage return) is prefixed with `'`, so
 * that it is shown as text instead of being run as a formula (CSV injection).
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\n\r]/;

/** One field: formula guard first (the quote it adds is text), then RFC 4180 quoting. */
export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record: its fields, each through `csvCell`, joined by commas (no line end). */
export function csvRow(fields: readonly string[]): string {
  return fields.map(csvCell).join(',');
}

/** A whole file: the header record, then one record per row, each ended by CRLF. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly string[]>): string {
  const records = [csvRow(header)];
  for (const row of rows) records.push(csvRow(row));
  return `${records.join('\r\n')}\r\n`;
}
