import { Transform } from 'node:stream';
import { LoadError } from './errors.ts';
import type { Encoding } from './types.ts';

export interface DetectedEncoding {
  encoding: Encoding;
  bomBytes: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Identifies the encoding of the start of a text file: BOM, NUL patterns, UTF-8 validity, else GB18030. */
export function detectEncoding(head: Buffer, isLastChunk: boolean): DetectedEncoding {
  if (startsWith(head, [0xff, 0xfe, 0, 0]) || startsWith(head, [0, 0, 0xfe, 0xff])) {
    throw new LoadError(
      'datastore.unsupported_encoding',
      'The file is encoded as UTF-32, which cannot be loaded; save it as UTF-8 (or UTF-16) and upload it again',
      { encoding: 'utf-32' },
    );
  }
  if (startsWith(head, UTF8_BOM)) return { encoding: 'utf-8', bomBytes: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomBytes: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomBytes: 2 };

  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bomBytes: 0 };
  assertText(head);
  return { encoding: utf8Verdict(head, isLastChunk) ? 'utf-8' : 'gb18030', bomBytes: 0 };
}

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

/** ASCII text in UTF-16 has a NUL in every other byte; which half says the byte order. */
function utf16WithoutBom(head: Buffer): Encoding | undefined {
  const n = Math.min(head.length, 8192) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  const candidate =
    oddNul > pairs * 0.3 && evenNul < pairs * 0.05
      ? 'utf-16le'
      : evenNul > pairs * 0.3 && oddNul < pairs * 0.05
        ? 'utf-16be'
        : undefined;
  if (!candidate) return undefined;
  try {
    new TextDecoder(candidate, { fatal: true }).decode(head.subarray(0, n), { stream: true });
    return candidate;
  } catch {
    return undefined;
  }
}

const BINARY_SIGNATURES: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'a legacy Office document (.xls/.doc)'],
];

/** Rejects content that is not text: a known binary signature or many control bytes. */
export function assertText(head: Buffer): void {
  for (const [signature, what] of BINARY_SIGNATURES) {
    if (startsWith(head, signature)) {
      throw new LoadError('datastore.binary_file', `The file is ${what}, not delimited text`, { kind: what });
    }
  }
  const n = Math.min(head.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    // Tab, LF, CR, FF and ESC occur in real text; other C0 bytes mean binary content.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  }
  if (n > 0 && control > Math.max(8, n * 0.05)) {
    throw new LoadError('datastore.binary_file', 'The file contains binary data, not delimited text', {
      controlBytes: control,
      sampledBytes: n,
    });
  }
}

/**
 * True when the sample is UTF-8. A file that is UTF-8 except for a few lines pasted from a GBK source
 * stays UTF-8 (those lines are repaired while decoding); mostly-invalid input is GB18030.
 */
function utf8Verdict(head: Buffer, isLastChunk: boolean): boolean {
  const sample = isLastChunk ? head : head.subarray(0, completeUtf8Length(head));
  if (isUtf8(sample)) return true;
  let validNonAscii = 0;
  let invalid = 0;
  let start = 0;
  while (start < sample.length) {
    let end = sample.indexOf(0x0a, start);
    if (end < 0) end = sample.length;
    const line = sample.subarray(start, end);
    if (!isUtf8(line)) invalid++;
    else if (line.some((b) => b >= 0x80)) validNonAscii++;
    start = end + 1;
  }
  return validNonAscii > invalid * 2;
}

/** Length of the buffer without a multibyte UTF-8 sequence cut off at its end. */
export function completeUtf8Length(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

const LONG_LINE = 1 << 20;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(buf: Uint8Array): boolean {
  try {
    fatalUtf8.decode(buf);
    return true;
  } catch {
    return false;
  }
}

/**
 * Incremental decoder to JavaScript strings. Multibyte characters split across chunks are kept whole.
 * For UTF-8, a line that is not valid UTF-8 is decoded as GB18030 (the usual cause: a row pasted from
 * a GBK spreadsheet) and reported through `onRepairedLine`.
 */
export class ChunkDecoder {
  private readonly decoder: TextDecoder;
  private readonly gbk = new TextDecoder('gb18030');
  private pending: Buffer = Buffer.alloc(0);
  private skip: number;
  private line = 1;

  constructor(
    private readonly encoding: Encoding,
    bomBytes: number,
    private readonly onRepairedLine?: (line: number, text: string) => void,
  ) {
    // BOMs are dropped by byte count; ignoreBOM keeps a U+FEFF that starts a later line.
    this.decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: true });
    this.skip = bomBytes;
  }

  /** Decodes the next chunk; returns the text that is complete so far. */
  write(chunk: Buffer): string {
    if (this.skip > 0) {
      const drop = Math.min(this.skip, chunk.length);
      this.skip -= drop;
      chunk = chunk.subarray(drop);
    }
    if (this.encoding !== 'utf-8') return this.decoder.decode(chunk, { stream: true });
    // UTF-8 is decoded up to the last newline so that a bad line can be redecoded on its own.
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let cut = data.lastIndexOf(0x0a) + 1;
    // A line longer than this (a huge field) is decoded in pieces rather than buffered whole.
    if (cut === 0 && data.length > LONG_LINE) cut = completeUtf8Length(data);
    this.pending = Buffer.from(data.subarray(cut));
    return this.decodeLines(data.subarray(0, cut));
  }

  /** Flushes what is left at the end of the input. */
  end(): string {
    if (this.encoding !== 'utf-8') return this.decoder.decode();
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return this.decodeLines(rest);
  }

  private decodeLines(data: Buffer): string {
    if (data.length === 0) return '';
    try {
      const text = this.decoder.decode(data);
      this.line += countByte(data, 0x0a);
      return text;
    } catch {
      const parts: string[] = [];
      let start = 0;
      while (start < data.length) {
        let end = data.indexOf(0x0a, start);
        end = end < 0 ? data.length : end + 1;
        const bytes = data.subarray(start, end);
        try {
          parts.push(this.decoder.decode(bytes));
        } catch {
          const text = this.gbk.decode(bytes);
          this.onRepairedLine?.(this.line, text);
          parts.push(text);
        }
        this.line++;
        start = end;
      }
      return parts.join('');
    }
  }
}

function countByte(buf: Buffer, byte: number): number {
  let count = 0;
  for (let i = buf.indexOf(byte); i >= 0; i = buf.indexOf(byte, i + 1)) count++;
  return count;
}

/** A stream that turns bytes in `encoding` (after `bomBytes` of BOM) into UTF-8 bytes. */
export function decodeToUtf8(encoding: Encoding, bomBytes: number): Transform {
  const decoder = new ChunkDecoder(encoding, bomBytes);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = decoder.write(chunk);
      done(null, text.length ? Buffer.from(text, 'utf8') : undefined);
    },
    flush(done) {
      const text = decoder.end();
      done(null, text.length ? Buffer.from(text, 'utf8') : undefined);
    },
  });
}

const utf8Encoder = new TextEncoder();

/** The longest prefix of `value` that fits in `maxBytes` of UTF-8, or undefined when it all fits. */
export function truncateUtf8(value: string, maxBytes: number): string | undefined {
  if (value.length * 3 <= maxBytes) return undefined;
  const { read } = utf8Encoder.encodeInto(value, new Uint8Array(maxBytes));
  return read < value.length ? value.slice(0, read) : undefined;
}
