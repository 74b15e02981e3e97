import type { InferenceRow } from '../types/inference.ts';
import { BIT } from '../types/patterns.ts';
import { NullTokenBytes } from './field-bytes.ts';
import { fieldMask } from './field-mask.ts';
import {
  type RecordSink,
  type ScannedRecord,
  ScanRefused,
  type ScanShape,
  scanRecords,
} from './record-scan.ts';

// Pass one of a typed load: every value of the file classified as the staging table's inference pass
// classifies it (types/inference.ts), counted per (column, class), with the first rows of every class
// kept — so that, once the types are decided, the rows whose values disagree with a column's
// candidate can be shown without reading the file again.

/** Values kept per (column, class): the disagreement examples a load report shows. */
export const EXAMPLES_PER_CLASS = 10;
/** Class masks are below this (BIT's largest bit is 512). */
const MASKS = 1024;

export interface ClassExample {
  row: number;
  value: string;
}

export interface FileInference {
  rows: number;
  /** The counts as inferenceQuery returns them, for decideColumnTypes. */
  stats: InferenceRow[];
  /** The first rows (at most `limit`) of column `column` whose non-null value lacks every bit of `bits`. */
  examples(column: number, bits: number, limit: number): ClassExample[];
}

/**
 * A value whose class does not fit the type a sample of the file suggested for its column: the types
 * cannot be those the pass was writing, and it stops.
 */
export class GuessMissed extends Error {
  readonly column: number;

  constructor(column: number) {
    super(`a value of column ${column + 1} does not fit the type its sample suggested`);
    this.column = column;
  }
}

export class ClassCounter implements RecordSink {
  readonly counts: Float64Array;
  readonly firsts = new Map<number, ClassExample[]>();
  readonly width: number;
  readonly nulls: NullTokenBytes;

  constructor(width: number, nulls: NullTokenBytes) {
    this.width = width;
    this.nulls = nulls;
    this.counts = new Float64Array(width * MASKS);
  }

  record(record: ScannedRecord, row: number): void {
    for (let k = 0; k < this.width; k++) {
      this.tally(record, k, this.classOf(record, k), row);
    }
  }

  /** The class of field k: NULL for an unquoted empty field (COPY reads it so before any null token), else fieldMask's. */
  classOf(record: ScannedRecord, k: number): number {
    const start = record.starts[k]!;
    const end = record.ends[k]!;
    return start === end && record.quoted[k] === 0 ? BIT.null : fieldMask(record.buf, start, end, this.nulls);
  }

  /** Counts field k of `record` as a value of class `mask`, keeping the first few of each class. */
  tally(record: ScannedRecord, k: number, mask: number, row: number): void {
    const slot = k * MASKS + mask;
    const seen = ++this.counts[slot]!;
    if (seen <= EXAMPLES_PER_CLASS && mask !== BIT.null)
      this.#keep(slot, row, record.buf.toString('utf8', record.starts[k]!, record.ends[k]!));
  }

  /** Counts a value of class `mask` in column k without keeping it (no report will show it). */
  tallyOnly(k: number, mask: number): void {
    this.counts[k * MASKS + mask]!++;
  }

  #keep(slot: number, row: number, value: string): void {
    const list = this.firsts.get(slot);
    if (list) list.push({ row, value });
    else this.firsts.set(slot, [{ row, value }]);
  }

  stats(): InferenceRow[] {
    const rows: InferenceRow[] = [];
    for (let slot = 0; slot < this.counts.length; slot++) {
      const n = this.counts[slot]!;
      if (n > 0) rows.push({ col: Math.floor(slot / MASKS), mask: slot % MASKS, n });
    }
    return rows;
  }

  examples(column: number, bits: number, limit: number): ClassExample[] {
    const found: ClassExample[] = [];
    for (const [slot, list] of this.firsts) {
      const mask = slot % MASKS;
      if (Math.floor(slot / MASKS) === column && (mask & bits) === 0) found.push(...list);
    }
    return found.sort((a, b) => a.row - b.row).slice(0, limit);
  }
}

/** What one thread found in its part of the file (plain data: it crosses from a worker thread). */
export interface ClassCounts {
  rows: number;
  newline: number;
  /** Per column × class mask (column * 1024 + mask): the number of values. */
  counts: Float64Array;
  /** The first values of each (column, class), by row within the part. */
  firsts: [number, ClassExample[]][];
}

/** Pass one over one part of `file`: its records counted and every value classified. Throws ScanRefused. */
export async function countClasses(
  file: string,
  shape: ScanShape,
  nullTokens: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (bytes: number, rows: number) => void } = {},
): Promise<ClassCounts> {
  const counter = new ClassCounter(shape.columnCount, new NullTokenBytes(nullTokens));
  const { rows, newline } = await scanRecords(file, shape, counter, options);
  return countsOf(counter, rows, newline);
}

/**
 * Pass one over stretches of `file` (a sample, parts.ts sampleWindows): the counts of each stretch
 * read, leaving out those refused (a stretch may begin inside a quoted field).
 */
export async function countWindows(
  file: string,
  windows: readonly ScanShape[],
  nullTokens: readonly string[],
): Promise<ClassCounts[]> {
  const counts: ClassCounts[] = [];
  for (const window of windows) {
    try {
      counts.push(await countClasses(file, window, nullTokens));
    } catch (err) {
      if (!(err instanceof ScanRefused)) throw err;
    }
  }
  return counts;
}

/** A counter's findings as plain data. */
export function countsOf(counter: ClassCounter, rows: number, newline: number): ClassCounts {
  return { rows, newline, counts: counter.counts, firsts: [...counter.firsts] };
}

/** The parts' counts as one file's (parts in file order, rows numbered across them). */
export function mergeCounts(parts: readonly ClassCounts[], width: number): FileInference {
  const merged = new ClassCounter(width, new NullTokenBytes([]));
  let rows = 0;
  let newline = 0;
  for (const part of parts) {
    if (part.newline !== 0 && newline !== 0 && part.newline !== newline)
      throw new ScanRefused('line endings that change');
    newline ||= part.newline;
    for (let slot = 0; slot < part.counts.length; slot++) merged.counts[slot]! += part.counts[slot]!;
    for (const [slot, list] of part.firsts) {
      const kept = merged.firsts.get(slot) ?? [];
      for (const e of list)
        if (kept.length < EXAMPLES_PER_CLASS) kept.push({ row: rows + e.row, value: e.value });
      merged.firsts.set(slot, kept);
    }
    rows += part.rows;
  }
  return {
    rows,
    stats: merged.stats(),
    examples: (column, bits, limit) => merged.examples(column, bits, limit),
  };
}
