import fs from 'node:fs';

// The records in a stretch of a delimited file, counted without reading its fields: line feeds
// outside quotes. A quote byte opens or closes a quoted field, and a doubled quote inside one closes
// and reopens it, so a line feed ends a record exactly when it follows an even number of quotes.
// This lets the thread that reads the second part of a file number its rows (the file's record
// numbers) before the first part has been read; the reader of the first part later confirms the count.

const CHUNK_BYTES = 4 * 1024 * 1024;
const LF = 10;

export interface RecordCount {
  /** Line feeds outside quotes between `from` and `to`. */
  records: number;
  /** Whether `to` falls inside a quoted field (an odd number of quotes before it). */
  inQuote: boolean;
}

/** Counts the records of `file` in [from, to); `to` should follow a line feed. */
export async function countRecords(
  file: string,
  from: number,
  to: number,
  quote: string,
): Promise<RecordCount> {
  const quoteByte = Buffer.from(quote)[0]!;
  const handle = await fs.promises.open(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let records = 0;
  let inQuote = false;
  try {
    for (let position = from; position < to; ) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK_BYTES, to - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const chunk = buf.subarray(0, bytesRead);
      // Jumps from quote to quote (native searches, not a loop per byte), counting line feeds in the
      // stretches outside quotes.
      for (let at = 0; at < bytesRead; ) {
        const q = chunk.indexOf(quoteByte, at);
        const stop = q < 0 ? bytesRead : q;
        if (!inQuote) records += countByte(chunk, LF, at, stop);
        if (q < 0) break;
        inQuote = !inQuote;
        at = q + 1;
      }
    }
  } finally {
    await handle.close();
  }
  return { records, inQuote };
}

function countByte(buf: Buffer, byte: number, from: number, to: number): number {
  let n = 0;
  for (let at = buf.indexOf(byte, from); at >= 0 && at < to; at = buf.indexOf(byte, at + 1)) n++;
  return n;
}
