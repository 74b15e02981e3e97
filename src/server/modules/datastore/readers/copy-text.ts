import type { Sniffed } from './types.ts';

const SPECIAL = /[\\\t\n\r\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' };

/** One line (with its newline) of PostgreSQL COPY text format: tab-separated, \N for NULL, escapes applied. */
export function encodeCopyText(values: (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else line += SPECIAL.test(v) ? v.replace(/[\\\t\n\r\0]/g, (c) => ESCAPES[c]!) : v;
  }
  return `${line}\n`;
}

export interface CopyOptions {
  /** The text inside `WITH ( … )` of `COPY staging (…) FROM STDIN`, for bytes from `sniffed.dataOffset`. */
  sqlOptions: string;
  /** Decode to UTF-8 in Node first (`decodeToUtf8`) and send UTF-8 to the database. */
  needsNodeDecode: boolean;
}

/**
 * COPY options for the fast path. PGlite 0.5 breaks on `ENCODING 'GB18030'` (0 rows, then a crashed
 * process), so there GB18030 is decoded in Node; PostgreSQL itself converts GB18030. UTF-16 is not
 * a client encoding PostgreSQL knows, so it is always decoded in Node.
 */
export function copyOptionsFor(sniffed: Sniffed, engine: 'postgres' | 'pglite'): CopyOptions {
  const needsNodeDecode =
    sniffed.encoding === 'utf-16le' ||
    sniffed.encoding === 'utf-16be' ||
    (sniffed.encoding === 'gb18030' && engine === 'pglite');
  const encoding = sniffed.encoding === 'gb18030' && !needsNodeDecode ? 'GB18030' : 'UTF8';
  const sqlOptions = [
    'FORMAT csv',
    `DELIMITER ${literal(sniffed.delimiter)}`,
    `QUOTE ${literal(sniffed.quote)}`,
    `ENCODING '${encoding}'`,
  ].join(', ');
  return { sqlOptions, needsNodeDecode };
}

function literal(char: string): string {
  if (char === '\t') return "E'\\t'";
  return `'${char.replaceAll("'", "''")}'`;
}
