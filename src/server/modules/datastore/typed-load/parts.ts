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

/**
 * A progress callback for the file as a whole from the parts' own (part k has read up to file offset
 * `bytes`, `rows` records): the bytes before the first part plus what every part has read.
 */
export function partsProgress(
  parts: readonly ScanShape[],
  onProgress: ((bytes: number, rows: number) => void) | undefined,
): (part: number, bytes: number, rows: number) => void {
  const read = parts.map((p) => p.dataOffset);
  const counted = parts.map(() => 0);
  const start = parts[0]?.dataOffset ?? 0;
  return (k, bytes, rows) => {
    read[k] = bytes;
    counted[k] = rows;
    onProgress?.(
      start + read.reduce((a, b, i) => a + b - parts[i]!.dataOffset, 0),
      counted.reduce((a, b) => a + b, 0),
    );
  };
}

/**
 * Up to `count` stretches of about `bytes` each, spread evenly over `shape` (the first at its start),
 * each from just after a line feed to just after one. Only the first surely starts at a record; the
 * others are samples that may begin inside a quoted field, which their reader may refuse.
 */
export async function sampleWindows(
  file: string,
  shape: ScanShape,
  count: number,
  bytes: number,
): Promise<ScanShape[]> {
  const size = shape.end ?? (await fs.promises.stat(file)).size;
  if (size - shape.dataOffset <= count * bytes) return [{ ...shape, end: size }];
  const handle = await fs.promises.open(file, 'r');
  try {
    const probe = Buffer.allocUnsafe(PROBE_BYTES);
    const afterLineFeed = async (at: number): Promise<number> => {
      const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at);
      const lf = probe.subarray(0, bytesRead).indexOf(10);
      return lf < 0 ? size : at + lf + 1;
    };
    const windows: ScanShape[] = [];
    let from = shape.dataOffset;
    for (let k = 0; k < count; k++) {
      const at = shape.dataOffset + Math.floor(((size - shape.dataOffset) * k) / count);
      const start = k === 0 ? at : await afterLineFeed(at);
      if (start < from || start >= size) continue;
      const end = await afterLineFeed(start + bytes);
      windows.push({ ...shape, dataOffset: start, end });
      from = end;
    }
    return windows;
  } finally {
    await handle.close();
  }
}
