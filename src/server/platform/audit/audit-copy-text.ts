// Decoding of PostgreSQL's COPY text format (FORMAT text, the default), which verification reads the
// chain in: one row per line, columns separated by tabs, NULL written as \N, and in values a backslash
// escapes what would otherwise end a column or a row. See "File Formats" in the COPY reference.
//
// COPY TO writes backslash as \\, and \b \f \n \r \t \v for those control characters; every other
// character, other control characters and multi-byte UTF-8 included, goes out as it is. It never
// writes the octal (\123) or hex (\x4f) forms, but they are decoded anyway (as bytes, as COPY FROM
// reads them), so that any valid COPY text decodes to what it means rather than to a guess.

/** Thrown for text that is not a COPY text row of the expected width: the reader is wrong, not the log. */
export class CopyTextError extends Error {}

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const isOctal = (c: number) => c >= 0x30 && c <= 0x37;
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

/** The value of one column as COPY TO wrote it: null for \N, else the text with escapes undone. */
export function unescapeCopyText(raw: string): string | null {
  if (raw === '\\N') return null;
  let at = raw.indexOf('\\');
  if (at === -1) return raw; // the common case: nothing to undo, no copy made
  let out = '';
  let from = 0;
  while (at !== -1) {
    out += raw.slice(from, at);
    const next = raw[at + 1];
    if (next === undefined) throw new CopyTextError('COPY text ends in a lone backslash');
    const simple = SIMPLE[next];
    if (simple !== undefined) {
      out += simple;
      from = at + 2;
    } else if (isOctal(next.charCodeAt(0)) || (next === 'x' && isHex(raw.charCodeAt(at + 2)))) {
      return out + unescapeBytes(raw.slice(at));
    } else {
      out += next; // \\ and any other escaped character stand for themselves
      from = at + 2;
    }
    at = raw.indexOf('\\', from);
  }
  return out + raw.slice(from);
}

/**
 * The rest of a value from its first octal or hex escape on. Those name bytes, which may be parts of
 * one multi-byte character together with the bytes around them, so this part is decoded as bytes.
 */
function unescapeBytes(raw: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < raw.length; ) {
    const c = raw.charCodeAt(i);
    if (c !== 0x5c) {
      const end = raw.indexOf('\\', i);
      const stop = end === -1 ? raw.length : end;
      for (const b of encoder.encode(raw.slice(i, stop))) bytes.push(b);
      i = stop;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) throw new CopyTextError('COPY text ends in a lone backslash');
    let j = i + 1;
    if (isOctal(next.charCodeAt(0))) {
      let value = 0;
      while (j < i + 4 && isOctal(raw.charCodeAt(j))) value = value * 8 + (raw.charCodeAt(j++) - 0x30);
      bytes.push(value & 0xff);
    } else if (next === 'x' && isHex(raw.charCodeAt(i + 2))) {
      j = i + 2;
      let value = 0;
      while (j < i + 4 && isHex(raw.charCodeAt(j))) value = value * 16 + Number.parseInt(raw[j++]!, 16);
      bytes.push(value);
    } else {
      for (const b of encoder.encode(SIMPLE[next] ?? next)) bytes.push(b);
      j = i + 2;
    }
    i = j;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    throw new CopyTextError('COPY text escapes bytes that are not valid UTF-8');
  }
}

/**
 * Calls `visit` for each row of `text` (whole rows, each ending in a newline), with its columns
 * decoded into `fields`, which is reused from row to row (a verification reads millions of rows:
 * no array per row). Stops early, returning false, when `visit` does.
 */
export function forEachCopyRow(text: string, fields: (string | null)[], visit: () => boolean): boolean {
  const width = fields.length;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) throw new CopyTextError('COPY text row without its newline');
    const next = end + 1;
    // A raw carriage return can only be a line ending (one in a value is written \r): Windows servers
    // end rows written to files with \r\n.
    if (text.charCodeAt(end - 1) === 0x0d) end--;
    let start = pos;
    for (let k = 0; k < width; k++) {
      // The next tab is close by (in this row, or the short first column of the next one).
      const tab = text.indexOf('\t', start);
      const last = k === width - 1;
      if (last ? tab !== -1 && tab < end : tab === -1 || tab > end) {
        throw new CopyTextError(`COPY text row without exactly ${width} columns`);
      }
      fields[k] = unescapeCopyText(text.slice(start, last ? end : tab));
      start = tab + 1;
    }
    pos = next;
    if (!visit()) return false;
  }
  return true;
}
