import { decideInference, type Inference } from '../infer.ts';
import { BIT } from '../types/patterns.ts';
import { type ClassCounts, countWindows, mergeCounts } from './infer-pass.ts';
import { sampleWindows } from './parts.ts';
import { ScanRefused, type ScanShape } from './record-scan.ts';
import { runAllInWorkers } from './workers.ts';

// The types a sample of the file suggests: stretches spread over it, classified and decided as the
// whole file will be. A typed load writes these types in the same pass that classifies every value,
// and keeps the result only when the whole file's decisions turn out the same (index.ts): the types
// are still those of every value, and most files are read once instead of twice.

/**
 * How much is sampled, and how a miss is met. A value that misses its column's suggested type
 * ends the pass; while less than `restartBefore` of the file has been read, the pass starts again
 * with that column as text (at most `restarts` times), else the file is read twice instead.
 * Exported for tests, which shrink the sample to place misses where they want them.
 */
export const speculation = {
  /** Stretches sampled, spread over the file… */
  windows: 16,
  /** …of about this many bytes each: 8 MB in all, some 36,000 rows of a typical file, which find an
   * odd value that comes once in 10,000 rows nineteen times out of twenty. */
  windowBytes: 512 * 1024,
  restarts: 3,
  restartBefore: 0.25,
};

/**
 * The sample's decisions, or undefined when no stretch of it could be read. With `threads` above one
 * the stretches are read by worker threads (starting them now, which the pass that follows needs
 * anyway), else here.
 */
export async function suggestTypes(
  file: string,
  shape: ScanShape,
  labels: string[],
  nullTokens: readonly string[],
  options: { signal?: AbortSignal | undefined; threads: number },
): Promise<Inference | undefined> {
  const windows = await sampleWindows(file, shape, speculation.windows, speculation.windowBytes);
  options.signal?.throwIfAborted();
  const groups = Array.from({ length: Math.min(options.threads, windows.length) }, (_, g) =>
    windows.filter((_, k) => k % options.threads === g),
  );
  const counts =
    groups.length > 1
      ? (
          await runAllInWorkers<ClassCounts[]>(
            groups.map((group) => ({ kind: 'sample', file, windows: group, nullTokens })),
            options.signal,
          )
        ).flat()
      : await countWindows(file, windows, nullTokens);
  if (counts.length === 0) return undefined;
  try {
    const pass = mergeCounts(counts, shape.columnCount);
    return await decideInference(labels, pass.stats, async () => []);
  } catch (err) {
    if (err instanceof ScanRefused) return undefined;
    throw err;
  }
}

/** Whether every suggested type can be checked value by value (has a class bit, or is text). */
export function checkable(suggested: Inference): boolean {
  return suggested.columns.every((c) => c.type === 'text' || c.type in BIT);
}

/** Whether two decisions give the same table: the same file columns kept, with the same ids and types. */
export function sameTable(a: Inference, b: Inference): boolean {
  return (
    a.columns.length === b.columns.length &&
    a.columns.every((c, k) => {
      const d = b.columns[k]!;
      return c.index === d.index && c.id === d.id && c.type === d.type;
    })
  );
}

/** `suggested` with file column `index` as text; undefined if the sample had dropped it. */
export function asText(suggested: Inference, index: number): Inference | undefined {
  if (!suggested.columns.some((c) => c.index === index)) return undefined;
  return {
    ...suggested,
    columns: suggested.columns.map((c) => (c.index === index ? { ...c, type: 'text' } : c)),
  };
}
