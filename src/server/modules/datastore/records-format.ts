// Rows as delimited text (CSV per RFC 4180, or TSV), for records_format and dumps.

const needsQuotes = /[",\r\n\t]/;

/** One value as a CSV/TSV field. */
export function delimitedField(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (delimiter === '\t') return text.replaceAll(/[\t\r\n]/g, ' ');
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as delimited lines (no header), each ending in \r\n for CSV and \n for TSV. */
export function toDelimited(rows: Record<string, unknown>[], ids: string[], delimiter: string): string {
  const eol = delimiter === '\t' ? '\n' : '\r\n';
  let out = '';
  for (const row of rows) out += ids.map((id) => delimitedField(row[id], delimiter)).join(delimiter) + eol;
  return out;
}
