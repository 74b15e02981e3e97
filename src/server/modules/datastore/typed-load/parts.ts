import fs from 'node:fs';
import type { ScanShape } from './record-scan.ts';

// A file cut into parts that two threads read at once. A cut is made just after a line feed near
// the part's share of the bytes; it is a record boundary unless that line feed sat inside a quoted
// field, which the part before it then finds (it ends inside a quote and is refused), and the file
// is read whole by one thread instead.

/** Files smaller than this are read by one thread: starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
const PROBE_BYTES = 1024 * 1024;

/** `shape` cut into at most `count` parts, each with an `end`; one part when no cut is found. */
export async function cutParts(file: string, shape: ScanShape, count: number): Promise<ScanShape[]> {
  const size = shape.end ?? (await fs.promises.stat(file)).size;
  if (count < 2 || size - shape.dataOffset < PARALLEL_MIN_BYTES) return [{ ...shape, end: size }];
  const handle = await fs.promises.open(file, 'r');
  try {
    const probe = Buffer.allocUnsafe(PROBE_BYTES);
    const cuts = [shape.dataOffset];
    for (let k = 1; k < count; k++) {
      const at = shape.dataOffset + Math.floor(((size - shape.dataOffset) * k) / count);
      const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at);
      const lf = probe.subarray(0, bytesRead).indexOf(10);
      if (lf < 0) return [{ ...shape, end: size }];
      cuts.push(at + lf + 1);
    }
    cuts.push(size);
    return cuts.slice(1).map((end, k) => ({ ...shape, dataOffset: cuts[k]!, end }));
  } finally {
    await handle.close();
  }
}
