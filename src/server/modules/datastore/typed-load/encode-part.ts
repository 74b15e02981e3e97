import type { DatastoreType } from '../../../../contracts/datastore-values.ts';
import { BinaryRowWriter, COPY_HEADER, COPY_TRAILER } from './binary-rows.ts';
import { NullTokenBytes } from './field-bytes.ts';
import { ClassCounter, type ClassCounts, countsOf } from './infer-pass.ts';
import {
  type RecordSink,
  type ScannedRecord,
  ScanRefused,
  type ScanShape,
  scanRecordChunks,
} from './record-scan.ts';

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

class RowEncoder implements RecordSink {
  readonly deferred: Deferred[];
  #count = 0;

  constructor(
    readonly columns: readonly TypedColumnPlan[],
    readonly writer: BinaryRowWriter,
    readonly nulls: NullTokenBytes,
    /** Records before the part being encoded (its record n is the file's record rowsBefore + n). */
    readonly rowsBefore: number,
  ) {
    this.deferred = columns.map(() => ({ ids: [], values: [] }));
  }

  record(record: ScannedRecord, partRow: number): void {
    const { buf, starts, ends, quoted } = record;
    const { writer, columns, nulls } = this;
    const row = this.rowsBefore + partRow;
    writer.startRow(columns.length + 1);
    writer.bigint(row);
    for (let j = 0; j < columns.length; j++) {
      const column = columns[j]!;
      const k = column.index;
      const start = starts[k]!;
      const end = ends[k]!;
      if (start === end && quoted[k] === 0) writer.nullField();
      else if (!writer.field(column.type, buf, start, end, nulls)) {
        writer.nullField();
        this.#defer(j, row, buf.toString('utf8', start, end));
      }
    }
  }

  #defer(column: number, row: number, value: string): void {
    if (++this.#count > MAX_DEFERRED)
      throw new ScanRefused(`more than ${MAX_DEFERRED} values of unusual shapes`);
    const d = this.deferred[column]!;
    d.ids.push(row);
    d.values.push(value);
  }
}

/** One part of the file to encode (with the records before it) and the table it goes to. */
export interface CopyPart {
  file: string;
  shape: ScanShape;
  rowsBefore: number;
  columns: readonly TypedColumnPlan[];
  nullTokens: readonly string[];
  /** `COPY … FROM STDIN WITH (FORMAT binary)` into the table. */
  copySql: string;
  /**
   * Also classify every value (as pass one does), each file column's values required to have one of
   * these bits (0: any value): the pass that writes types a sample suggested, and checks them.
   */
  expected?: number[];
}

/** What one part's COPY did: its rows, the values left to the SQL cast, and its classes when asked. */
export interface CopiedPart {
  rows: number;
  deferred: Deferred[];
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
  const encoder = new RowEncoder(part.columns, writer, nulls, part.rowsBefore);
  const counter = part.expected
    ? new ClassCounter(part.shape.columnCount, nulls, Int32Array.from(part.expected))
    : undefined;
  // The counter first: a value that misses the suggested type stops the pass before it is written.
  const sink: RecordSink = counter
    ? {
        record(record, row) {
          counter.record(record, row);
          encoder.record(record, row);
        },
      }
    : encoder;
  let last = { rows: 0, newline: 0 };
  async function* rows(): AsyncGenerator<Buffer> {
    yield COPY_HEADER;
    for await (const progress of scanRecordChunks(part.file, part.shape, sink, signal)) {
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
      deferred: encoder.deferred,
      ...(counter ? { counts: countsOf(counter, last.rows, last.newline) } : {}),
    }),
  };
}
