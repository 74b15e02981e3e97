import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';

// The records of a UTF-8 delimited file, read as bytes: field boundaries only, no string per cell.
// It reads exactly the files PostgreSQL's COPY … FORMAT csv would read without complaint, with the
// same values — an unquoted empty field is NULL, a quoted one is '' — and refuses the rest (a row of
// another width, a quote inside an unquoted field, a stray carriage return, NUL bytes, invalid
// UTF-8, an unterminated quote…) with ScanRefused, so that the load can take its other path, which
// repairs and reports such files.

/** The file is not one this scanner reads as COPY would; `reason` says why (for the load's timings). */
export class ScanRefused extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(`typed load refused: ${reason}`);
    this.reason = reason;
  }
}

export interface ScanShape {
  /** Byte offset of the first data row. */
  dataOffset: number;
  delimiter: string;
  quote: string;
  /** Fields every record must have. */
  columnCount: number;
  /** Where to stop (a record boundary; the end of the file when absent). */
  end?: number;
}

/**
 * One record, valid until the sink returns: field k is `buf[starts[k], ends[k])`, quotes removed and
 * doubled quotes collapsed; `quoted[k]` is 1 when the field was quoted (an unquoted empty field is NULL).
 */
export interface ScannedRecord {
  readonly buf: Buffer;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly quoted: Uint8Array;
}

export interface ScanProgress {
  /** Bytes of the file up to the end of the last record read. */
  bytes: number;
  rows: number;
  /** The records' line end so far: 10 (LF), 13 (CRLF), or 0 before the first. */
  newline: number;
}

export interface RecordSink {
  /** Record number `row` (1-based, counted from the first data row). */
  record(record: ScannedRecord, row: number): void;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
/** A record longer than this is left to the other path, whose reader bounds fields itself. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const LF = 10;
const CR = 13;

/**
 * Reads the records of `file` from `shape.dataOffset`, handing each to `sink`, and yields after every
 * chunk of the file the bytes read and the records so far (a consumer may await between chunks, so a
 * COPY downstream sets the pace). Throws ScanRefused for anything COPY would not read the same way.
 */
export async function* scanRecordChunks(
  file: string,
  shape: ScanShape,
  sink: RecordSink,
  signal?: AbortSignal,
): AsyncGenerator<ScanProgress> {
  const delimiter = singleByte(shape.delimiter, 'delimiter');
  const quote = singleByte(shape.quote, 'quote');
  const scanner = new Scanner(delimiter, quote, shape.columnCount, sink);
  const handle = await fs.promises.open(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES * 2);
    let have = 0;
    /** Bytes at the start of buf already checked for NUL and UTF-8 (the carried incomplete record's). */
    let checked = 0;
    let position = shape.dataOffset;
    for (;;) {
      signal?.throwIfAborted();
      if (buf.length - have < CHUNK_BYTES) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const wanted = Math.min(CHUNK_BYTES, (shape.end ?? Number.MAX_SAFE_INTEGER) - position);
      const { bytesRead } = wanted > 0 ? await handle.read(buf, have, wanted, position) : { bytesRead: 0 };
      position += bytesRead;
      have += bytesRead;
      const final = bytesRead === 0;
      // Checked before the records are handed over (and before doubled quotes are collapsed in
      // place): up to the last line feed, where UTF-8 sequences are whole, or all of it at the end.
      const whole = final ? have : buf.lastIndexOf(LF, have - 1) + 1;
      if (whole > checked) {
        const fresh = buf.subarray(checked, whole);
        if (fresh.indexOf(0) >= 0) throw new ScanRefused('NUL bytes');
        if (!isUtf8(buf.subarray(0, whole))) throw new ScanRefused('not valid UTF-8');
        checked = whole;
      }
      const used = scanner.scan(buf, Math.min(have, final ? have : whole), final);
      if (final && used !== have)
        throw new ScanRefused('an unterminated quoted field at the end of the file');
      if (have - used > MAX_RECORD_BYTES) throw new ScanRefused('a record longer than 64 MB');
      yield { bytes: position - (have - used), rows: scanner.rows, newline: scanner.newline };
      if (final) return;
      buf.copy(buf, 0, used, have);
      have -= used;
      checked = Math.max(0, checked - used);
    }
  } finally {
    await handle.close();
  }
}

/** scanRecordChunks to the end; returns the number of records and their line end. */
export async function scanRecords(
  file: string,
  shape: ScanShape,
  sink: RecordSink,
  options: { signal?: AbortSignal; onProgress?: (bytes: number, rows: number) => void } = {},
): Promise<{ rows: number; newline: number }> {
  let last = { rows: 0, newline: 0 };
  for await (const progress of scanRecordChunks(file, shape, sink, options.signal)) {
    last = progress;
    options.onProgress?.(progress.bytes, progress.rows);
  }
  return { rows: last.rows, newline: last.newline };
}

function singleByte(char: string, what: string): number {
  const code = char.charCodeAt(0);
  if (char.length !== 1 || code > 127) throw new ScanRefused(`a ${what} that is not one ASCII character`);
  return code;
}

/** The byte loop: finds the records of a buffer, keeping line endings as consistent as COPY wants them. */
class Scanner implements ScannedRecord {
  rows = 0;
  buf: Buffer = Buffer.alloc(0);
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly quoted: Uint8Array;
  readonly #escaped: Uint8Array;
  /** 1 for the bytes an unquoted field stops at: the delimiter, the quote, LF and CR. */
  readonly special = new Uint8Array(256);
  /** 0 until the first record ends; then LF or CR (for CRLF). */
  newline = 0;
  readonly delimiter: number;
  readonly quote: number;
  readonly width: number;
  readonly sink: RecordSink;

  constructor(delimiter: number, quote: number, width: number, sink: RecordSink) {
    this.delimiter = delimiter;
    this.quote = quote;
    this.width = width;
    this.sink = sink;
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.quoted = new Uint8Array(width);
    this.#escaped = new Uint8Array(width);
    for (const c of [delimiter, quote, LF, CR]) this.special[c] = 1;
  }

  /** Hands over every complete record of `buf[0, end)`; returns where the first incomplete one starts. */
  scan(buf: Buffer, end: number, final: boolean): number {
    this.buf = buf;
    let recordStart = 0;
    let i = 0;
    while (i < end) {
      const next = this.#record(buf, i, end, final);
      if (next < 0) break;
      if (next - i > MAX_RECORD_BYTES) throw new ScanRefused('a record longer than 64 MB');
      recordStart = next;
      i = next;
    }
    return recordStart;
  }

  /** Reads one record from `at`; returns the offset after it, or -1 when it does not end before `end`. */
  #record(buf: Buffer, at: number, end: number, final: boolean): number {
    const { delimiter, quote, width, special } = this;
    let i = at;
    let field = 0;
    for (;;) {
      if (field === width)
        throw new ScanRefused(`a row with more than ${width} fields (row ${this.rows + 1})`);
      let start = i;
      let stop: number;
      let isQuoted = 0;
      let escaped = 0;
      if (i < end && buf[i] === quote) {
        isQuoted = 1;
        start = ++i;
        for (;;) {
          const q = buf.indexOf(quote, i);
          if (q < 0 || q >= end) return -1;
          if (q + 1 >= end && !final) return -1;
          if (q + 1 < end && buf[q + 1] === quote) {
            escaped = 1;
            i = q + 2;
            continue;
          }
          stop = q;
          i = q + 1;
          break;
        }
      } else {
        // One table lookup per byte: most bytes are none of the four that end or break a field.
        while (i < end && special[buf[i]!] === 0) i++;
        if (i < end && buf[i] === quote)
          throw new ScanRefused(`a quote inside an unquoted field (row ${this.rows + 1})`);
        stop = i;
      }
      this.starts[field] = start;
      this.ends[field] = stop;
      this.quoted[field] = isQuoted;
      this.#escaped[field] = escaped;
      field++;
      if (i >= end) {
        if (!final) return -1;
        return this.#emit(field, end, 0);
      }
      const c = buf[i]!;
      if (c === delimiter) {
        i++;
        continue;
      }
      if (c === LF) return this.#emit(field, i + 1, LF);
      if (c === CR) {
        if (i + 1 >= end) {
          if (!final) return -1;
          throw new ScanRefused(`a carriage return without a line feed (row ${this.rows + 1})`);
        }
        if (buf[i + 1] !== LF)
          throw new ScanRefused(`a carriage return without a line feed (row ${this.rows + 1})`);
        return this.#emit(field, i + 2, CR);
      }
      throw new ScanRefused(`text after a closing quote (row ${this.rows + 1})`);
    }
  }

  #emit(fields: number, next: number, newline: number): number {
    const row = this.rows + 1;
    if (fields !== this.width) {
      throw new ScanRefused(`a row with ${fields} of ${this.width} fields (row ${row})`);
    }
    if (newline !== 0) {
      if (this.newline === 0) this.newline = newline;
      else if (this.newline !== newline) throw new ScanRefused(`line endings that change (row ${row})`);
    }
    const first = this.starts[0]!;
    if (fields === 1 && this.quoted[0] === 0) {
      // COPY refuses a blank line (even for one column), and ends the data at a line holding \.
      const length = this.ends[0]! - first;
      if (length === 0) throw new ScanRefused(`a blank line (row ${row})`);
      if (length === 2 && this.buf[first] === 92 && this.buf[first + 1] === 46)
        throw new ScanRefused(`a line holding only \\. (row ${row})`);
    }
    for (let k = 0; k < fields; k++) if (this.#escaped[k]) this.#collapse(k);
    this.rows = row;
    this.sink.record(this, row);
    return next;
  }

  /** Doubled quotes of field k become one, in place (the record's bytes are not read again). */
  #collapse(k: number): void {
    const buf = this.buf;
    const quote = this.quote;
    const end = this.ends[k]!;
    let w = this.starts[k]!;
    for (let r = w; r < end; r++) {
      buf[w++] = buf[r]!;
      if (buf[r] === quote) r++;
    }
    this.ends[k] = w;
  }
}
