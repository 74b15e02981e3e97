import { open } from 'node:fs/promises';
import { DelimitedParser, type ParsedRecord } from './delimited-parser.ts';
import { ChunkDecoder, completeUtf8Length, detectEncoding } from './encoding.ts';
import { LoadError, tooManyColumns } from './errors.ts';
import { DEFAULT_LIMITS, type Encoding, type Sniffed } from './types.ts';

export interface SniffOptions {
  delimiter?: string;
  encoding?: Encoding;
  /** True when `head` is the whole file (the last record need not end with a newline). */
  isLastChunk?: boolean;
  maxColumns?: number;
}

const DELIMITERS = [',', '\t', ';', '|'];
const QUOTES = ['"', "'"];
/** Dialect candidates are compared on this much text; the header search uses the whole sample. */
const SCORE_CHARS = 256 * 1024;
const MAX_TITLE_ROWS = 10;
/** How much of a file the fallback reader sniffs. */
export const SNIFF_BYTES = 4 * 1024 * 1024;

const sniffLimits = { maxFieldBytes: Number.MAX_SAFE_INTEGER, maxQuotedLines: 1000 };

/** Sniffs encoding, delimiter, quote, newline, title rows and header of delimited text from its first megabytes. */
export function sniffDelimited(head: Buffer, opts: SniffOptions = {}): Sniffed {
  const isLast = opts.isLastChunk ?? false;
  const maxColumns = opts.maxColumns ?? DEFAULT_LIMITS.maxColumns;
  if (head.length === 0) throw new LoadError('datastore.empty_file', 'The file is empty');
  const detected = opts.encoding
    ? { encoding: opts.encoding, bomBytes: bomLength(head, opts.encoding) }
    : detectEncoding(head, isLast);
  const decoder = new ChunkDecoder(detected.encoding, detected.bomBytes);
  // The UTF-8 decoder holds back an unfinished line; the sniffer wants it (a header longer than the sample).
  const utf8 = detected.encoding === 'utf-8';
  let text = decoder.write(utf8 && !isLast ? head.subarray(0, completeUtf8Length(head)) : head);
  if (isLast || utf8) text += decoder.end();
  if (text.trim() === '')
    throw new LoadError('datastore.no_rows', 'The file contains no rows, only blank lines');

  const dialect = chooseDialect(text, isLast, opts.delimiter, maxColumns);
  const records = parseAll(text, dialect.delimiter, dialect.quote, isLast);
  const header = findHeader(records, dialect.width);
  if (!header) {
    throw new LoadError('datastore.no_rows', 'No header row was found at the start of the file', {
      sampledBytes: head.length,
    });
  }
  const labels = header.record.fields.map(normaliseLabel);
  // Data rows wider than the header (a delimiter after every value) widen the table only when most rows agree.
  const data = consistency(records.slice(header.index + 1));
  const columnCount = data.width > labels.length && data.share > 0.5 ? data.width : labels.length;
  if (columnCount > maxColumns) throw tooManyColumns(columnCount, maxColumns);
  while (labels.length < columnCount) labels.push('');

  const byteOffset = offsetMapper(head, text, detected.encoding, detected.bomBytes);
  return {
    encoding: detected.encoding,
    bomBytes: detected.bomBytes,
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    newline: dominantNewline(records),
    headerOffset: byteOffset(header.record.start),
    dataOffset: byteOffset(header.record.end),
    titleRows: header.titles,
    titleRowNumbers: header.titleRows,
    headerRow: header.index + 1,
    labels,
    columnCount,
  };
}

/** Reads the first megabytes of a file and sniffs them. */
export async function sniffFile(
  file: string,
  opts: Omit<SniffOptions, 'isLastChunk'> = {},
): Promise<Sniffed> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return sniffDelimited(buf.subarray(0, bytesRead), { ...opts, isLastChunk: bytesRead >= size });
  } finally {
    await handle.close();
  }
}

function bomLength(head: Buffer, encoding: Encoding): number {
  if (encoding === 'utf-8') return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (encoding === 'utf-16le') return head[0] === 0xff && head[1] === 0xfe ? 2 : 0;
  if (encoding === 'utf-16be') return head[0] === 0xfe && head[1] === 0xff ? 2 : 0;
  return 0;
}

function parseAll(text: string, delimiter: string, quote: string, isLast: boolean): ParsedRecord[] {
  const parser = new DelimitedParser(delimiter, quote, sniffLimits);
  const out: ParsedRecord[] = [];
  parser.push(text, out);
  if (isLast) parser.end(out);
  return out;
}

interface Dialect {
  delimiter: string;
  quote: string;
  /** The most common field count of the sampled records. */
  width: number;
}

/** Picks the delimiter and quote under which the sampled records have the most consistent field counts. */
function chooseDialect(
  text: string,
  isLast: boolean,
  forced: string | undefined,
  maxColumns: number,
): Dialect {
  const short = text.length > SCORE_CHARS;
  const sample = short ? text.slice(0, SCORE_CHARS) : text;
  let best: (Dialect & { score: number }) | undefined;
  for (const delimiter of forced ? [forced] : DELIMITERS) {
    for (const quote of QUOTES) {
      let records = parseAll(sample, delimiter, quote, isLast && !short);
      // A very wide header may not fit the scoring sample: fall back to the whole text.
      if (records.length < 2 && short) records = parseAll(text, delimiter, quote, isLast);
      if (records.length === 0) {
        const partial = new DelimitedParser(delimiter, quote, sniffLimits);
        partial.push(text, []);
        if (partial.pendingFieldCount() > maxColumns)
          throw tooManyColumns(partial.pendingFieldCount(), maxColumns, true);
        continue;
      }
      const { width, share } = consistency(records);
      // Consistency first; more columns break ties (a stray ';' inside a comma-separated file).
      const score = width >= 2 ? share * 1000 + Math.min(width, 999) : 0;
      if (!best || score > best.score) best = { delimiter, quote, width, score };
    }
  }
  if (!best) {
    throw new LoadError('datastore.no_rows', 'The first line of the file is longer than the sniffed sample', {
      sampledChars: text.length,
    });
  }
  if (best.score === 0) return { delimiter: forced ?? ',', quote: '"', width: 1 };
  return best;
}

function consistency(records: ParsedRecord[]): { width: number; share: number } {
  const counts = new Map<number, number>();
  let total = 0;
  for (const r of records) {
    if (isBlank(r.fields)) continue;
    counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
    total++;
  }
  let width = 0;
  let top = 0;
  for (const [w, c] of counts) {
    if (c > top || (c === top && w > width)) {
      width = w;
      top = c;
    }
  }
  return { width, share: total ? top / total : 0 };
}

function isBlank(fields: (string | null)[]): boolean {
  return fields.every((f) => f === null || f.trim() === '');
}

function nonEmpty(fields: (string | null)[]): number {
  let count = 0;
  for (const f of fields) if (f !== null && f.trim() !== '') count++;
  return count;
}

/** Skips blank lines and title lines (one non-empty field above a wider row); the next record is the header. */
function findHeader(
  records: ParsedRecord[],
  width: number,
): { record: ParsedRecord; index: number; titles: string[]; titleRows: number[] } | undefined {
  const titles: string[] = [];
  const titleRows: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const filled = nonEmpty(record.fields);
    if (filled === 0) continue;
    if (filled === 1 && width >= 2 && titles.length < MAX_TITLE_ROWS) {
      const following = records.slice(i + 1).find((r) => nonEmpty(r.fields) > 0);
      if (following && nonEmpty(following.fields) >= 2) {
        titles.push(record.fields.find((f) => f !== null && f.trim() !== '')!.trim());
        titleRows.push(i + 1);
        continue;
      }
    }
    return { record, index: i, titles, titleRows };
  }
  return undefined;
}

/** Header labels lose surrounding whitespace and internal line breaks, which no column name wants. */
export function normaliseLabel(label: string | null): string {
  return (label ?? '')
    .replace(/^\uFEFF|\0/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function dominantNewline(records: ParsedRecord[]): Sniffed['newline'] {
  const counts = { '\n': 0, '\r\n': 0, '\r': 0 };
  for (const r of records) if (r.terminator) counts[r.terminator]++;
  if (counts['\r\n'] >= counts['\n'] && counts['\r\n'] >= counts['\r'] && counts['\r\n'] > 0) return '\r\n';
  return counts['\r'] > counts['\n'] ? '\r' : '\n';
}

/**
 * Maps a character offset at a record start to a byte offset in the raw file. In UTF-8 and GB18030
 * the bytes CR and LF only ever stand for themselves, so counting line ends finds the same spot.
 */
function offsetMapper(
  head: Buffer,
  text: string,
  encoding: Encoding,
  bomBytes: number,
): (char: number) => number {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return (char) => bomBytes + char * 2;
  return (char) => {
    if (char === 0) return bomBytes;
    const last = text.charCodeAt(text.length - 1);
    if (char >= text.length && last !== 10 && last !== 13) return head.length;
    let breaks = 0;
    for (let i = 0; i < char; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) breaks++;
    }
    let b = bomBytes;
    while (breaks > 0 && b < head.length) {
      const byte = head[b++];
      if (byte === 10 || byte === 13) breaks--;
    }
    return b;
  };
}
