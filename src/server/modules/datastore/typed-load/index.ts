import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import type { AppContext } from '../../../platform/context.ts';
import { decideInference, EXAMPLES, type Inference } from '../infer.ts';
import { copiedFile, type SniffedSource, type StagingResult } from '../staging.ts';
import { BIT } from '../types/patterns.ts';
import { copyTypedTable } from './copy-pass.ts';
import type { CopiedPart } from './encode-part.ts';
import {
  type ClassCounts,
  countClasses,
  type FileInference,
  GuessMissed,
  mergeCounts,
} from './infer-pass.ts';
import { cutParts, PARALLEL_MIN_BYTES, partsProgress } from './parts.ts';
import { ScanRefused, type ScanShape } from './record-scan.ts';
import { asText, checkable, sameTable, speculation, suggestTypes } from './sample.ts';
import { type ColumnExtremes, mergeExtremes } from './value-extremes.ts';
import { runAllInWorkers } from './workers.ts';

// The typed load: a UTF-8 delimited file read by Civitas and sent to PostgreSQL as binary rows of
// the typed table, instead of COPYing it as text into a staging table and casting it there, which
// costs PostgreSQL several times the COPY itself. It reads only what COPY … FORMAT csv would read the
// same way, and hands every other file back to the staging path.
//
// Types come from every value. Most files are read once: a sample suggests the types (sample.ts),
// and one pass writes the rows in those types while checking and counting every value (encode-part.ts,
// CheckingEncoder); the result stands when the whole file's decisions equal the sample's. A value that misses its suggested type stops that
// pass, and the file is read twice instead — once to classify every value (infer-pass.ts), once to
// write the decided types (copy-pass.ts). Whole-file decisions that differ in another way (a column
// empty in the sample, say) only cost writing the table again.

export { ScanRefused } from './record-scan.ts';

export type TypedLoad =
  | {
      ok: true;
      staged: StagingResult;
      inference: Inference;
      /** The quality profile's extremes per column id, for the columns they could be followed in. */
      extremes: Record<string, ColumnExtremes>;
      timings: Record<string, number>;
    }
  | { ok: false; reason: string; timings: Record<string, number> };

export interface TypedLoadOptions {
  signal?: AbortSignal | undefined;
  /** How far the reading is (file offset, records). */
  onProgress?: ((bytes: number, rows: number) => void) | undefined;
}

/** Threads each pass uses: the machine's cores, at most two (PostgreSQL needs one of its own). */
const THREADS = Math.min(2, availableParallelism());

/**
 * Loads `file` into the load's typed table in the staging schema (as copy-pass.ts leaves it), with
 * the report's reading and typing; or says why the file must take the staging path. A file that
 * changes while it is read is left to the staging path too: its readings would not agree.
 */
export async function loadTyped(
  ctx: AppContext,
  loadId: string,
  file: string,
  source: SniffedSource,
  nullTokens: readonly string[],
  options: TypedLoadOptions = {},
): Promise<TypedLoad> {
  const timings: Record<string, number> = {};
  const { sniffed } = source;
  if (!sniffed) return { ok: false, reason: `a ${source.format} file`, timings };
  if (sniffed.encoding !== 'utf-8') return { ok: false, reason: `${sniffed.encoding} text`, timings };
  const shape: ScanShape = {
    dataOffset: sniffed.dataOffset,
    delimiter: sniffed.delimiter,
    quote: sniffed.quote,
    columnCount: sniffed.columnCount,
  };
  let started = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - started;
    started = Date.now();
  };
  const before = await fileStamp(file);
  const headerRow = sniffed.headerRow ?? 1;
  // A pass that starts again, or a second reading, reports bytes already reported: progress only grows.
  let reached = 0;
  const onProgress = (bytes: number, rows: number) => {
    if (bytes < reached) return;
    reached = bytes;
    options.onProgress?.(bytes, rows);
  };
  const run = new TypedRun(
    ctx,
    loadId,
    file,
    shape,
    sniffed.labels,
    nullTokens,
    { ...options, onProgress },
    headerRow,
  );
  try {
    // Worker threads read the sample of a file large enough for them to read its parts too.
    const big = source.totalBytes - shape.dataOffset >= PARALLEL_MIN_BYTES;
    const suggested = await suggestTypes(file, shape, sniffed.labels, nullTokens, {
      signal: options.signal,
      threads: big ? THREADS : 1,
    });
    lap('typed_sample');
    onProgress(shape.dataOffset, 0);
    let read = suggested ? await run.onePass(suggested, lap) : undefined;
    read ??= await run.twoPasses(lap);
    if ((await fileStamp(file)) !== before) throw new ScanRefused('the file changed while it was read');
    const staged = copiedFile({ ...source, sniffed }, read.rows, 'typed');
    return { ok: true, staged, inference: read.inference, extremes: read.extremes, timings };
  } catch (err) {
    if (err instanceof ScanRefused) return { ok: false, reason: err.reason, timings };
    throw err;
  }
}

/** A file's size and modification time, to tell whether it changed between two readings. */
export async function fileStamp(file: string): Promise<string> {
  const stat = await fs.promises.stat(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

/** The passes over one file. */
class TypedRun {
  constructor(
    readonly ctx: AppContext,
    readonly loadId: string,
    readonly file: string,
    readonly shape: ScanShape,
    readonly labels: string[],
    readonly nullTokens: readonly string[],
    readonly options: TypedLoadOptions,
    /** The file row of the header (records are numbered from the row after it). */
    readonly headerRow: number,
  ) {}

  /**
   * One pass writing the suggested types and classifying every value; undefined when a value missed
   * its type late in the file, or when a part after the first found it does not start at a record.
   * Such a part numbers its rows from a count of the records before it, made by its own thread
   * (record-count.ts) and confirmed by the reading of those records.
   */
  async onePass(sample: Inference, lap: (name: string) => void) {
    const parts = await cutParts(this.file, this.shape, THREADS);
    const first = parts[0]!.dataOffset;
    const placed = parts.map((shape, k) => ({
      shape,
      rowsBefore: 0,
      ...(k > 0 ? { countFrom: first } : {}),
    }));
    const bytes = parts.at(-1)!.end! - first;
    let suggested: Inference | undefined = sample;
    let copied: CopiedPart[] | undefined;
    for (let attempt = 0; !copied; attempt++) {
      if (!suggested || !checkable(suggested)) return undefined;
      let read = first;
      try {
        copied = await this.copy(placed, suggested, { check: true, onRead: (at) => (read = at) });
      } catch (err) {
        // A cut inside a quoted field looks like a broken file: the two passes tell them apart.
        if (err instanceof ScanRefused && parts.length > 1) {
          lap('typed_cut_refused');
          return undefined;
        }
        if (!(err instanceof GuessMissed)) throw err;
        lap(`typed_missed_${attempt + 1}`);
        // A column with an odd value among its numbers (the common miss) is text, whatever else the
        // file holds: early on, the pass starts again with it as text; late, reading the file twice
        // costs less than starting again.
        const late = read - first > bytes * speculation.restartBefore;
        if (attempt + 1 > speculation.restarts || late) return undefined;
        suggested = asText(suggested, err.column);
      }
    }
    lap('typed_pass');
    const counts = copied.map((c) => c.counts!);
    let before = 0;
    for (const [k, c] of copied.entries()) {
      if (c.rowsBefore !== before) throw new ScanRefused('records counted otherwise than read');
      before += counts[k]!.rows;
    }
    const pass = mergeCounts(counts, this.shape.columnCount);
    const inference = await this.decide(pass);
    if (!sameTable(inference, suggested!)) {
      // The whole file decided otherwise than its sample (a column empty in the sample, say):
      // written again in the decided types, the counts now known.
      copied = await this.copy(placedByCounts(parts, counts), inference, { counts });
      lap('typed_again');
    }
    return { rows: pass.rows, inference, extremes: extremesOf(copied, inference) };
  }

  /** Pass one classifies every value, the types are decided, pass two writes them. */
  async twoPasses(lap: (name: string) => void) {
    const { parts, counts } = await this.classifyParts();
    const pass = mergeCounts(counts, this.shape.columnCount);
    const inference = await this.decide(pass);
    lap('typed_pass_one');
    const copied = await this.copy(placedByCounts(parts, counts), inference, { counts });
    lap('typed_pass_two');
    return { rows: pass.rows, inference, extremes: extremesOf(copied, inference) };
  }

  /** The types from every value's class, with the rows of the values that disagree. */
  decide(pass: FileInference): Promise<Inference> {
    return decideInference(this.labels, pass.stats, async (index, candidate) =>
      pass
        .examples(index, BIT.null | BIT[candidate as keyof typeof BIT], EXAMPLES)
        .map((e) => ({ row: this.headerRow + e.row, value: e.value })),
    );
  }

  /**
   * The typed table written from the parts (the values counted and checked when `check` is set);
   * throws ScanRefused unless COPY took as many records from each part as were read from it (or
   * as `counts` says an earlier reading found).
   */
  async copy(
    parts: { shape: ScanShape; rowsBefore: number }[],
    inference: Inference,
    how: { check: true; onRead: (bytes: number) => void } | { counts: readonly ClassCounts[] },
  ): Promise<CopiedPart[]> {
    const onProgress =
      'check' in how
        ? (bytes: number, rows: number) => {
            how.onRead(bytes);
            this.options.onProgress?.(bytes, rows);
          }
        : undefined;
    const copied = await copyTypedTable(
      this.ctx,
      this.loadId,
      this.file,
      parts,
      inference.columns,
      this.nullTokens,
      // Progress is the pass that reads the file first; a writing after it is the build.
      { signal: this.options.signal, onProgress, check: 'check' in how },
    );
    const read = 'counts' in how ? how.counts : copied.map((c) => c.counts!);
    if (copied.some((c, k) => c.rows !== read[k]!.rows))
      throw new ScanRefused('the file changed while it was read');
    return copied;
  }

  /**
   * Pass one, a part of the file per thread; read whole by this thread when the file is small, or
   * when a part is refused — a cut inside a quoted field looks like a broken file, which the
   * whole-file read tells apart.
   */
  async classifyParts(): Promise<{ parts: ScanShape[]; counts: ClassCounts[] }> {
    const { file, shape, nullTokens, options } = this;
    const parts = await cutParts(file, shape, THREADS);
    if (parts.length > 1) {
      try {
        const counts = await runAllInWorkers<ClassCounts>(
          parts.map((part) => ({ kind: 'classify', file, shape: part, nullTokens })),
          options.signal,
          partsProgress(parts, options.onProgress),
        );
        return { parts, counts };
      } catch (err) {
        if (!(err instanceof ScanRefused)) throw err;
      }
    }
    const whole = { ...shape, end: parts.at(-1)!.end };
    return { parts: [whole], counts: [await countClasses(file, whole, nullTokens, options)] };
  }
}

/** The extremes of what the parts wrote, per column id (the columns they could be followed in). */
function extremesOf(copied: readonly CopiedPart[], inference: Inference): Record<string, ColumnExtremes> {
  const facts = mergeExtremes(
    copied.map((c) => c.extremes),
    inference.columns.map((c) => c.type),
  );
  return Object.fromEntries(
    inference.columns.flatMap((c, j) => (facts[j] ? [[c.id, facts[j]] as const] : [])),
  );
}

/** Each part with the records before it, from the parts' counts. */
function placedByCounts(parts: readonly ScanShape[], counts: readonly ClassCounts[]) {
  let before = 0;
  return parts.map((shape, k) => {
    const placed = { shape, rowsBefore: before };
    before += counts[k]!.rows;
    return placed;
  });
}
