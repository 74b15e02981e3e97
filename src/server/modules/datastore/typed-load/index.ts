import { availableParallelism } from 'node:os';
import { decideInference, EXAMPLES, type Inference } from '../infer.ts';
import { copiedFile, type SniffedSource, type StagingResult } from '../staging.ts';
import { BIT } from '../types/patterns.ts';
import { type ClassCounts, countClasses, mergeCounts } from './infer-pass.ts';
import { cutParts } from './parts.ts';
import { ScanRefused, type ScanShape } from './record-scan.ts';
import { runAllInWorkers } from './workers.ts';

// The typed load: a UTF-8 delimited file read twice by Civitas — once to classify every value and
// decide the types (infer-pass.ts), once to send PostgreSQL binary rows of those types
// (copy-pass.ts) — instead of COPYing it as text into a staging table and casting it there, which
// costs PostgreSQL several times the COPY itself. It reads only what COPY … FORMAT csv would read
// the same way, and hands every other file back to the staging path.

export { copyTypedTable } from './copy-pass.ts';
export { ScanRefused } from './record-scan.ts';

/** The parts of the file pass two encodes, each with the records before it. */
export type TypedParts = { shape: ScanShape; rowsBefore: number }[];

export type TypedRead =
  | { ok: true; staged: StagingResult; inference: Inference; parts: TypedParts }
  | { ok: false; reason: string };

/** Threads each pass uses: the machine's cores, at most two (PostgreSQL needs one of its own). */
const THREADS = Math.min(2, availableParallelism());

/** Pass one and the type decisions, for a file the typed load can read; else why not. */
export async function readTyped(
  file: string,
  source: SniffedSource,
  nullTokens: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (bytes: number, rows: number) => void } = {},
): Promise<TypedRead> {
  const { sniffed } = source;
  if (!sniffed) return { ok: false, reason: `a ${source.format} file` };
  if (sniffed.encoding !== 'utf-8') return { ok: false, reason: `${sniffed.encoding} text` };
  const shape: ScanShape = {
    dataOffset: sniffed.dataOffset,
    delimiter: sniffed.delimiter,
    quote: sniffed.quote,
    columnCount: sniffed.columnCount,
  };
  try {
    const { parts, counts } = await classifyParts(file, shape, nullTokens, options);
    const pass = mergeCounts(counts, shape.columnCount);
    const staged = copiedFile({ ...source, sniffed }, pass.rows, 'typed');
    const fileRow = staged.fileRow ?? ((n: number) => n);
    const inference = await decideInference(sniffed.labels, pass.stats, async (index, candidate) =>
      pass
        .examples(index, BIT.null | BIT[candidate as keyof typeof BIT], EXAMPLES)
        .map((e) => ({ row: fileRow(e.row), value: e.value })),
    );
    let rowsBefore = 0;
    const typedParts = parts.map((part, k) => {
      const before = rowsBefore;
      rowsBefore += counts[k]!.rows;
      return { shape: part, rowsBefore: before };
    });
    return { ok: true, staged, inference, parts: typedParts };
  } catch (err) {
    if (err instanceof ScanRefused) return { ok: false, reason: err.reason };
    throw err;
  }
}

/**
 * Pass one, a part of the file per thread; read whole by this thread when the file is small, or when
 * a part is refused — a cut inside a quoted field looks like a broken file, which the whole-file
 * read tells apart.
 */
async function classifyParts(
  file: string,
  shape: ScanShape,
  nullTokens: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (bytes: number, rows: number) => void },
): Promise<{ parts: ScanShape[]; counts: ClassCounts[] }> {
  const parts = await cutParts(file, shape, THREADS);
  if (parts.length > 1) {
    const read = parts.map((p) => p.dataOffset);
    const counted = parts.map(() => 0);
    try {
      const counts = await runAllInWorkers<ClassCounts>(
        parts.map((part) => ({ kind: 'classify', file, shape: part, nullTokens })),
        options.signal,
        (k, bytes, rows) => {
          read[k] = bytes;
          counted[k] = rows;
          options.onProgress?.(
            shape.dataOffset + read.reduce((a, b, i) => a + b - parts[i]!.dataOffset, 0),
            counted.reduce((a, b) => a + b, 0),
          );
        },
      );
      return { parts, counts };
    } catch (err) {
      if (!(err instanceof ScanRefused)) throw err;
    }
  }
  const whole = { ...shape, end: parts.at(-1)!.end };
  return { parts: [whole], counts: [await countClasses(file, whole, nullTokens, options)] };
}
