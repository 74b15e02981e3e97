// Rows as delimited text (CSV per RFC 4180, or TSV), for records_format and dumps.

const needsQuotes = /[",\r\n\t]/;

const tabOrNewline = /[\t\r\n]/g;

/** One value as a CSV/TSV field. */
export function delimitedField(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  // Numbers and booleans hold no delimiter, quote or line break: as they are.
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (delimiter === '\t') return text.replaceAll(tabOrNewline, ' ');
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as delimited lines (no header), each ending in \r\n for CSV and \n for TSV. */
export function toDelimited(rows: Record<string, unknown>[], ids: string[], delimiter: string): string {
  const eol = delimiter === '\t' ? '\n' : '\r\n';
  const last = ids.length - 1;
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < last; i++) out += delimitedField(row[ids[i]!], delimiter) + delimiter;
    out += (last >= 0 ? delimitedField(row[ids[last]!], delimiter) : '') + eol;
  }
  return out;
}
