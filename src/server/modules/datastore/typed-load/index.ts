import { decideInference, EXAMPLES, type Inference } from '../infer.ts';
import { copiedFile, type SniffedSource, type StagingResult } from '../staging.ts';
import { BIT } from '../types/patterns.ts';
import { inferFromFile } from './infer-pass.ts';
import { ScanRefused, type ScanShape } from './record-scan.ts';

// The typed load: a UTF-8 delimited file read twice by Civitas — once to classify every value and
// decide the types (infer-pass.ts), once to send PostgreSQL binary rows of those types
// (copy-pass.ts) — instead of COPYing it as text into a staging table and casting it there, which
// costs PostgreSQL several times the COPY itself. It reads only what COPY … FORMAT csv would read
// the same way, and hands every other file back to the staging path.

export { copyTypedTable } from './copy-pass.ts';
export { ScanRefused } from './record-scan.ts';

export type TypedRead =
  | { ok: true; staged: StagingResult; inference: Inference; shape: ScanShape }
  | { ok: false; reason: string };

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
    const pass = await inferFromFile(file, shape, nullTokens, options);
    const staged = copiedFile({ ...source, sniffed }, pass.rows, 'typed');
    const fileRow = staged.fileRow ?? ((n: number) => n);
    const inference = await decideInference(sniffed.labels, pass.stats, async (index, candidate) =>
      pass
        .examples(index, BIT.null | BIT[candidate as keyof typeof BIT], EXAMPLES)
        .map((e) => ({ row: fileRow(e.row), value: e.value })),
    );
    return { ok: true, staged, inference, shape };
  } catch (err) {
    if (err instanceof ScanRefused) return { ok: false, reason: err.reason };
    throw err;
  }
}
