import { isUtf8 } from 'node:buffer';
import { recomputedHash, sha256Hex } from './audit-chain-walk.ts';
import { CopyTextError, forEachCopyRow } from './audit-copy-text.ts';
import { GENESIS_HASH, type StoredFields, storedBody } from './audit-hash.ts';

/** Called for each entry in sequence order; returning false stops the reading (the chain broke). */
export type EntryVisitor = (
  seq: number,
  prevHash: string | null,
  hash: string | null,
  recomputed: string,
) => boolean;

/**
 * The columns of the COPY, in this order: the chain's, then the hashed fields in the key order of
 * their canonical (JCS) body, so that the byte path below writes the body in one pass along the row.
 * All text: the time as the ISO text JavaScript's toISOString() writes (milliseconds, UTC; a check
 * constraint keeps stored times at millisecond precision), formatted by the database.
 */
export const CHAIN_COLUMNS =
  'seq, prev_hash, hash, action, actor_id, actor_label, ' +
  `to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at_iso, ` +
  'department_id, details, ip, request_id, target_id, target_type';
const SEQ = 0;
const PREV = 1;
const HASH = 2;

/** The stored fields of a COPY row's decoded columns (only nullable columns are ever null). */
export const storedFieldsOfCopy = (f: (string | null)[]): StoredFields => ({
  action: f[3] as string,
  actorId: f[4] ?? null,
  actorLabel: f[5] as string,
  atIso: f[6] as string,
  departmentId: f[7] ?? null,
  detailsJson: f[8] as string,
  ip: f[9] ?? null,
  requestId: f[10] ?? null,
  targetId: f[11] ?? null,
  targetType: f[12] ?? null,
});
export const COPY_WIDTH = 13;

// storedBody() as bytes: before each hashed column (in COPY order) the literal text that precedes
// it, and how it is written: as a JSON string, or spliced in as stored (the time, the details).
const JSON_STRING = 0;
const TIME = 1;
const DETAILS = 2;
const BODY: [literal: string, kind: number][] = [
  ['{"action":', JSON_STRING],
  [',"actorId":', JSON_STRING],
  [',"actorLabel":', JSON_STRING],
  [',"at":"', TIME],
  ['","departmentId":', JSON_STRING],
  [',"details":', DETAILS],
  [',"ip":', JSON_STRING],
  [',"requestId":', JSON_STRING],
  [',"targetId":', JSON_STRING],
  [',"targetType":', JSON_STRING],
];
const LITERALS = BODY.map(([literal]) => Buffer.from(literal));
const KINDS = BODY.map(([, kind]) => kind);

const HEX_LENGTH = 64;

/** Bytes that end a JSON string column (tab, newline) or keep it off the byte path (see below). */
const STOP = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) STOP[b] = 1; // control characters: JSON.stringify escapes them
STOP[0x22] = 1; // quote: escaped by JSON.stringify
STOP[0x5c] = 1; // backslash: a COPY escape (or \N), and escaped by JSON.stringify

/**
 * Turns COPY text (FORMAT text, UTF-8) of CHAIN_COLUMNS into entries with their recomputed hashes,
 * fed to a visitor in order.
 *
 * Most rows take a byte path that makes no string but the recomputed hash: it writes the hash input
 * from the column bytes as received, and takes the row only if that proves it intact: the stored
 * hash is the recomputed one and the stored link is the previous row's hash (compared as text,
 * which also shows where those fixed-width columns end), and every column's bytes are exactly what
 * the string path would hash — no COPY escape but a whole \N, and in the JSON string columns
 * nothing JSON.stringify would escape (then the UTF-8 of the JSON string is the column's bytes in
 * quotes). Every other row — changed, relinked, with escapes, quotes or control characters,
 * malformed — takes the string path: decode, unescape, storedBody(), the reference. So the byte
 * path only ever finds "intact" faster; a broken row is judged on the values the query reader gives.
 */
export class CopyChainParser {
  readonly #visit: EntryVisitor;
  /** The start of a row that the chunks so far did not finish. */
  #rest: Buffer[] = [];
  #scratch = Buffer.allocUnsafe(16 * 1024);
  readonly #fields: (string | null)[] = new Array(COPY_WIDTH).fill(null);
  /** The stored hash of the last row visited, if it is the recomputed one: the next row's link. */
  #lastHash: string | null = GENESIS_HASH;
  // The first backslash in #backslashIn at or after the details of the current row.
  #backslashIn: Buffer | undefined;
  #backslashAt = 0;
  /** How many rows the byte path took (the others took the string path): for tests and benchmarks. */
  byteRows = 0;

  /** For a read from the start of the chain (the first row links to the genesis hash). */
  constructor(visit: EntryVisitor) {
    this.#visit = visit;
  }

  /** Visits the rows this chunk completes; false once the visitor stopped (read no further). */
  push(chunk: Buffer): boolean {
    let from = 0;
    if (this.#rest.length) {
      // The row begun in earlier chunks: joined with its end alone, so this chunk is not copied.
      const nl = chunk.indexOf(0x0a);
      if (nl === -1) {
        this.#rest.push(Buffer.from(chunk));
        return true;
      }
      const row = Buffer.concat([...this.#rest, chunk.subarray(0, nl + 1)]);
      this.#rest = [];
      if (!this.#visitRows(row, 0, row.length)) return false;
      from = nl + 1;
    }
    // A newline byte only ever ends a row: newlines in values are escaped, and UTF-8 never uses the
    // byte inside a multi-byte character. So the rows end at the last one, and the tail waits.
    const last = chunk.lastIndexOf(0x0a);
    const tail = Math.max(last + 1, from);
    if (tail < chunk.length) this.#rest.push(Buffer.from(chunk.subarray(tail))); // a copy: not the chunk
    return last < from || this.#visitRows(chunk, from, last + 1);
  }

  /** At the end of the stream: anything left is a row cut short. */
  end(): void {
    if (this.#rest.length) throw new CopyTextError('COPY text ends in the middle of a row');
  }

  /** The whole rows in buf[from, to). */
  #visitRows(buf: Buffer, from: number, to: number): boolean {
    // Bytes that are not UTF-8 (possible only in a database that does not check its text) take the
    // string path, which decodes them with replacement characters as the sequencer's reads do.
    const utf8 = isUtf8(buf.subarray(from, to));
    this.#backslashIn = undefined; // the cursor is for this run of rows only
    for (let pos = from; pos < to; ) {
      const nl = buf.indexOf(0x0a, pos);
      const visited = (utf8 ? this.#byteRow(buf, pos, nl) : undefined) ?? this.#stringRow(buf, pos, nl);
      if (!visited) return false;
      pos = nl + 1;
    }
    return true;
  }

  /**
   * The byte path for the row buf[start, nl): undefined unless it proves the row intact, else what
   * the visitor said of it.
   */
  #byteRow(buf: Buffer, start: number, nl: number): boolean | undefined {
    // seq: digits without a leading zero, so `${seq}` in the hash input is these very bytes.
    let i = start;
    let seq = 0;
    for (let d = buf[i]! - 0x30; d >= 0 && d <= 9 && i - start < 15; d = buf[++i]! - 0x30) seq = seq * 10 + d;
    const seqEnd = i;
    if (seqEnd === start || buf[seqEnd] !== 0x09 || buf[start] === 0x30) return;
    // prev_hash and hash: 64 bytes each, as the comparisons with known hashes confirm.
    const lastHash = this.#lastHash;
    const prevStart = seqEnd + 1;
    const hashStart = prevStart + HEX_LENGTH + 1;
    i = hashStart + HEX_LENGTH;
    if (lastHash?.length !== HEX_LENGTH || buf[hashStart - 1] !== 0x09 || buf[i] !== 0x09) return;
    if (buf.toString('latin1', prevStart, hashStart - 1) !== lastHash) return;

    // The hash input, prev_hash \n seq \n body, written in the scratch buffer.
    if (this.#scratch.length < 2 * (nl - start) + 512)
      this.#scratch = Buffer.allocUnsafe(2 * (nl - start) + 512);
    const out = this.#scratch;
    let o = out.write(lastHash, 0, 'latin1');
    out[o++] = 0x0a;
    for (let j = start; j < seqEnd; j++) out[o++] = buf[j]!;
    out[o++] = 0x0a;
    for (let k = 0; k < KINDS.length; k++) {
      const literal = LITERALS[k]!;
      for (let j = 0; j < literal.length; j++) out[o++] = literal[j]!;
      const delimiter = k === KINDS.length - 1 ? 0x0a : 0x09;
      i++; // past the tab before this column
      const kind = KINDS[k];
      if (kind === JSON_STRING) {
        if (buf[i] === 0x5c) {
          // \N, the whole column: null (both paths write JSON.stringify(null)).
          if (buf[i + 1] !== 0x4e || buf[i + 2] !== delimiter) return;
          out[o++] = 0x6e; // null
          out[o++] = 0x75;
          out[o++] = 0x6c;
          out[o++] = 0x6c;
          i += 2;
          continue;
        }
        out[o++] = 0x22;
        for (let b = buf[i]!; STOP[b] === 0; b = buf[++i]!) out[o++] = b;
        if (buf[i] !== delimiter) return; // a quote, backslash or control character: string path
        out[o++] = 0x22;
      } else if (kind === TIME) {
        // Spliced in as stored: only a backslash (an escape) would make the bytes differ.
        for (let b = buf[i]!; b !== 0x09; b = buf[++i]!) {
          if (b === 0x5c || b === 0x0a) return;
          out[o++] = b;
        }
      } else {
        // The details, spliced in as stored: found natively, its end by the next tab and any
        // backslash (an escape) by a cursor that moves through the buffer once.
        const end = buf.indexOf(0x09, i);
        if (end === -1 || end > nl) return;
        if (this.#backslashIn !== buf || this.#backslashAt < i) {
          const at = buf.indexOf(0x5c, i);
          this.#backslashIn = buf;
          this.#backslashAt = at === -1 ? buf.length : at;
        }
        if (this.#backslashAt < end) return;
        out.set(buf.subarray(i, end), o);
        o += end - i;
        i = end;
      }
    }
    out[o++] = 0x7d;
    const recomputed = sha256Hex(out.subarray(0, o));
    if (buf.toString('latin1', hashStart, hashStart + HEX_LENGTH) !== recomputed) return;
    this.#lastHash = recomputed;
    this.byteRows++;
    return this.#visit(seq, lastHash, recomputed, recomputed);
  }

  /** The string path: the reference decoding, for every row the byte path does not prove intact. */
  #stringRow(buf: Buffer, start: number, nl: number): boolean {
    const fields = this.#fields;
    let visited = true;
    forEachCopyRow(buf.toString('utf8', start, nl + 1), fields, () => {
      const seq = Number(fields[SEQ]);
      const prevHash = fields[PREV] ?? null;
      const hash = fields[HASH] ?? null;
      const recomputed = recomputedHash(prevHash, seq, storedBody(storedFieldsOfCopy(fields)));
      // A hash that is not the recomputed one is no link to build on: the next row then takes this
      // path too (verification stops here anyway). So #lastHash is always a hash we computed.
      this.#lastHash = hash === recomputed ? hash : null;
      visited = this.#visit(seq, prevHash, hash, recomputed);
      return visited;
    });
    return visited;
  }
}
