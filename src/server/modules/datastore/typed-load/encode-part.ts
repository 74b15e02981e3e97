import type { DatastoreType } from '../../../../contracts/datastore-values.ts';
import { BIT } from '../types/patterns.ts';
import {
  BinaryRowWriter,
  COPY_HEADER,
  COPY_TRAILER,
  DECLINED,
  WROTE_NULL,
  WROTE_VALUE,
} from './binary-rows.ts';
import { NullTokenBytes } from './field-bytes.ts';
import { ClassCounter, type ClassCounts, countsOf, GuessMissed } from './infer-pass.ts';
import { countRecords } from './record-count.ts';
import {
  type RecordSink,
  type ScannedRecord,
  ScanRefused,
  type ScanShape,
  scanRecordChunks,
} from './record-scan.ts';
import { ValueExtremes, type ValueExtremesState } from './value-extremes.ts';

// Pass two's encoding of one part of the file: every record as a binary COPY row of the typed table
// (_id, then the columns), with the values the encoder has no fast path for set aside for the SQL
// cast. Kept apart from copy-pass.ts, which talks to the database, so that a worker thread loads
// only this and what it needs.

export interface TypedColumnPlan {
  id: string;
  type: DatastoreType;
  /** The column's place in the file (0-based). */
  index: number;
}

/** Values left to the SQL cast before the load takes its other path instead (bounds memory). */
const MAX_DEFERRED = 100_000;

export interface Deferred {
  ids: number[];
  values: string[];
}

// Fields are declared, not parameter properties: worker threads load these modules with Node's own
// type stripping, which erases types only.
class RowEncoder implements RecordSink {
  readonly deferred: Deferred[];
  readonly columns: readonly TypedColumnPlan[];
  readonly writer: BinaryRowWriter;
  readonly nulls: NullTokenBytes;
  /** Per table column: 1 for text. */
  readonly isText: Uint8Array;
  /** The quality profile's min, max and lengths of what is written. */
  readonly extremes: ValueExtremes;
  /** Records before the part being encoded (its record n is the file's record rowsBefore + n). */
  rowsBefore: number;
  #count = 0;

  constructor(
    columns: readonly TypedColumnPlan[],
    writer: BinaryRowWriter,
    nulls: NullTokenBytes,
    rowsBefore: number,
  ) {
    this.columns = columns;
    this.writer = writer;
    this.nulls = nulls;
    this.rowsBefore = rowsBefore;
    this.deferred = columns.map(() => ({ ids: [], values: [] }));
    this.isText = Uint8Array.from(columns, (c) => (c.type === 'text' ? 1 : 0));
    this.extremes = new ValueExtremes(columns.map((c) => c.type));
  }

  record(record: ScannedRecord, partRow: number): void {
    const { buf, starts, ends, quoted } = record;
    const { writer, columns, nulls, extremes, isText } = this;
    const row = this.rowsBefore + partRow;
    writer.startRow(columns.length + 1);
    writer.bigint(row);
    for (let j = 0; j < columns.length; j++) {
      const column = columns[j]!;
      const k = column.index;
      const start = starts[k]!;
      const end = ends[k]!;
      if (start === end && quoted[k] === 0) writer.nullField();
      else if (isText[j] === 1) {
        if (writer.textField(buf, start, end, nulls) === WROTE_VALUE) extremes.text(j, buf, start, end);
      } else if (this.typedValue(j, buf, start, end) === DECLINED)
        this.defer(j, row, buf.toString('utf8', start, end));
    }
  }

  /** A value of table column j, of a type other than text: what it wrote (DECLINED: nothing, defer it). */
  protected typedValue(j: number, buf: Buffer, start: number, end: number): number {
    const { writer } = this;
    const wrote = writer.typedField(this.columns[j]!.type, buf, start, end, this.nulls);
    if (wrote === WROTE_VALUE) this.extremes.typed(j, writer.value, writer.value2);
    return wrote;
  }

  /** Leaves the value of table column j in `row` to the SQL cast, writing NULL for now. */
  protected defer(column: number, row: number, value: string): void {
    this.writer.nullField();
    this.extremes.missed(column);
    if (++this.#count > MAX_DEFERRED)
      throw new ScanRefused(`more than ${MAX_DEFERRED} values of unusual shapes`);
    const d = this.deferred[column]!;
    d.ids.push(row);
    d.values.push(value);
  }
}

/**
 * The one pass's rows (index.ts): written in the types a sample suggested while every value is
 * counted by class as pass one counts it, and checked — a value that does not have its column's
 * suggested type throws GuessMissed. A column of another type than text has its values counted as
 * that type (or NULL) without the classifier: that every value has the type is all the decision
 * needs, for it then equals the suggestion (decideColumnTypes: the sample already held the values
 * that rule out the types tried before it), and no report shows examples of such a column. So the
 * classifier runs on text columns, on the columns the sample dropped (which must stay empty), and on
 * the values the writer declines, which the SQL cast sets later.
 */
class CheckingEncoder extends RowEncoder {
  /** Per table column: the class bit of its type, 0 for text. */
  readonly #bits: Int32Array;
  /** File columns not in the table (no label, nothing in the sample): they must hold only NULLs. */
  readonly #dropped: number[];
  readonly counter: ClassCounter;

  constructor(
    columns: readonly TypedColumnPlan[],
    writer: BinaryRowWriter,
    nulls: NullTokenBytes,
    rowsBefore: number,
    counter: ClassCounter,
  ) {
    super(columns, writer, nulls, rowsBefore);
    this.counter = counter;
    this.#bits = Int32Array.from(columns, (c) => (c.type === 'text' ? 0 : classBit(c.type)));
    const kept = new Set(columns.map((c) => c.index));
    this.#dropped = Array.from({ length: counter.width }, (_, k) => k).filter((k) => !kept.has(k));
  }

  override record(record: ScannedRecord, partRow: number): void {
    const { buf, starts, ends, quoted } = record;
    const { writer, columns, counter } = this;
    const bits = this.#bits;
    const row = this.rowsBefore + partRow;
    for (const k of this.#dropped) {
      const mask = counter.classOf(record, k);
      if (mask !== BIT.null) throw new GuessMissed(k);
      counter.tallyOnly(k, mask);
    }
    writer.startRow(columns.length + 1);
    writer.bigint(row);
    for (let j = 0; j < columns.length; j++) {
      const k = columns[j]!.index;
      const bit = bits[j]!;
      const start = starts[k]!;
      const end = ends[k]!;
      if (bit === 0) {
        const mask = counter.classOf(record, k);
        counter.tally(record, k, mask, partRow);
        if (mask === BIT.null) writer.nullField();
        else {
          writer.text(buf, start, end);
          this.extremes.text(j, buf, start, end);
        }
        continue;
      }
      if (start === end && quoted[k] === 0) {
        writer.nullField();
        counter.tallyOnly(k, BIT.null);
        continue;
      }
      const wrote = this.typedValue(j, buf, start, end);
      if (wrote === WROTE_NULL) counter.tallyOnly(k, BIT.null);
      else {
        // Declined: a misfit, or a fit the writer leaves to the SQL cast.
        if (wrote === DECLINED) {
          if ((counter.classOf(record, k) & bit) === 0) throw new GuessMissed(k);
          this.defer(j, row, buf.toString('utf8', start, end));
        }
        counter.tallyOnly(k, bit);
      }
    }
  }
}

/** The class bit of a type other than text. */
function classBit(type: DatastoreType): number {
  const bit = BIT[type as keyof typeof BIT] as number | undefined;
  if (bit === undefined) throw new Error(`no class bit for ${type}`);
  return bit;
}

/** One part of the file to encode (with the records before it) and the table it goes to. */
export interface CopyPart {
  file: string;
  shape: ScanShape;
  rowsBefore: number;
  /**
   * When set, rowsBefore is counted first: the records from this offset (the first part's start) to
   * the part's own (record-count.ts), so the part needs no earlier reading of the parts before it.
   */
  countFrom?: number;
  columns: readonly TypedColumnPlan[];
  nullTokens: readonly string[];
  /** `COPY … FROM STDIN WITH (FORMAT binary)` into the table. */
  copySql: string;
  /** Also count every value by class and check it has its column's type (CheckingEncoder). */
  check?: boolean;
}

/** What one part's COPY did: its rows, the values left to the SQL cast, and its classes when asked. */
export interface CopiedPart {
  rows: number;
  /** The records before the part (counted, when the part was placed by countFrom). */
  rowsBefore: number;
  deferred: Deferred[];
  /** Min, max and lengths of the values written (those deferred mark their column unknown). */
  extremes: ValueExtremesState;
  counts?: ClassCounts;
}

/**
 * The binary COPY data of one part and, once it has been read, the values it left to the SQL cast
 * and (when the part asks) the classes of its values.
 */
export function encodePart(
  part: CopyPart,
  signal?: AbortSignal,
  onProgress?: (bytes: number, rows: number) => void,
) {
  const writer = new BinaryRowWriter();
  const nulls = new NullTokenBytes(part.nullTokens);
  const counter = part.check ? new ClassCounter(part.shape.columnCount, nulls) : undefined;
  const encoder = counter
    ? new CheckingEncoder(part.columns, writer, nulls, part.rowsBefore, counter)
    : new RowEncoder(part.columns, writer, nulls, part.rowsBefore);
  let last = { rows: 0, newline: 0 };
  async function* rows(): AsyncGenerator<Buffer> {
    if (part.countFrom !== undefined) {
      const { shape } = part;
      const counted = await countRecords(part.file, part.countFrom, shape.dataOffset, shape.quote);
      // A cut inside a quoted field: this part does not start at a record.
      if (counted.inQuote) throw new ScanRefused('a cut inside a quoted field');
      encoder.rowsBefore = counted.records;
    }
    yield COPY_HEADER;
    for await (const progress of scanRecordChunks(part.file, part.shape, encoder, signal)) {
      last = progress;
      yield* writer.take();
      onProgress?.(progress.bytes, progress.rows);
    }
    yield* writer.take();
    yield COPY_TRAILER;
  }
  return {
    rows: rows(),
    /** What was read beside the rows; call once `rows` is done. */
    result: (copiedRows: number): CopiedPart => ({
      rows: copiedRows,
      rowsBefore: encoder.rowsBefore,
      deferred: encoder.deferred,
      extremes: encoder.extremes,
      ...(counter ? { counts: countsOf(counter, last.rows, last.newline) } : {}),
    }),
  };
}
