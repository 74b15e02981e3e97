import type { PGlite } from '@electric-sql/pglite';

// COPY … TO STDOUT on PGlite, read from its raw protocol stream. PGlite's own query() leaves COPY TO
// STDOUT's rows out of its results, and COPY to its '/dev/blob' device costs about twice the CPU:
// the device gathers the output in many small copies, then a Blob. The raw stream hands over the
// server's output buffer by buffer, of which only the rows are kept.

/** A simple-query ('Q') message of the PostgreSQL protocol. */
function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`);
  const message = Buffer.allocUnsafe(5 + body.length);
  message[0] = 0x51;
  message.writeUInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

const BATCH = 256 * 1024;

/**
 * Collects the rows of CopyData ('d') messages from protocol bytes cut anywhere, and hands them on
 * in batches of whole rows (a CopyData message of COPY TO holds exactly one row). Remembers an
 * ErrorResponse ('E'); other messages (CopyOutResponse, CopyDone, CommandComplete, ReadyForQuery,
 * notices) need nothing.
 */
class CopyOutFramer {
  readonly #onRows: (rows: Buffer) => void;
  #header = Buffer.alloc(5);
  #headerFill = 0;
  #type = 0;
  #left = 0; // bytes of the current message's body still to come
  #batch = Buffer.allocUnsafe(BATCH);
  #batchFill = 0;
  #error: Buffer[] = [];
  error: string | undefined;

  constructor(onRows: (rows: Buffer) => void) {
    this.#onRows = onRows;
  }

  write(data: Uint8Array): void {
    for (let i = 0; i < data.length; ) {
      if (this.#left === 0 && this.#headerFill < 5) {
        const n = Math.min(5 - this.#headerFill, data.length - i);
        this.#header.set(data.subarray(i, i + n), this.#headerFill);
        this.#headerFill += n;
        i += n;
        if (this.#headerFill < 5) return;
        this.#type = this.#header[0]!;
        this.#left = this.#header.readUInt32BE(1) - 4;
        if (this.#left === 0) this.#endMessage();
        continue;
      }
      const n = Math.min(this.#left, data.length - i);
      const part = data.subarray(i, i + n);
      if (this.#type === 0x64) this.#append(part);
      else if (this.#type === 0x45) this.#error.push(Buffer.from(part));
      this.#left -= n;
      i += n;
      if (this.#left === 0) this.#endMessage();
    }
  }

  #append(part: Uint8Array): void {
    if (this.#batchFill + part.length > this.#batch.length) {
      this.flush();
      if (part.length > this.#batch.length) this.#batch = Buffer.allocUnsafe(part.length);
    }
    this.#batch.set(part, this.#batchFill); // a copy: `part` is a view of PGlite's memory
    this.#batchFill += part.length;
  }

  #endMessage(): void {
    this.#headerFill = 0;
    if (this.#type === 0x45) {
      // Fields are a type byte and a NUL-ended string; 'M' is the message.
      const fields = Buffer.concat(this.#error).toString('utf8').split('\0');
      this.error = fields.find((f) => f.startsWith('M'))?.slice(1) ?? 'COPY failed';
      this.#error = [];
    }
  }

  /** Hands on the rows collected so far, in a buffer of their own. */
  flush(): void {
    if (this.#batchFill === 0) return;
    this.#onRows(this.#batch.subarray(0, this.#batchFill));
    this.#batch = Buffer.allocUnsafe(BATCH);
    this.#batchFill = 0;
  }
}

/**
 * Runs `COPY (query) TO STDOUT` on PGlite and returns its rows (COPY text) in batches of whole rows.
 * In a transaction of its own: PGlite's transactions are exclusive, so the COPY runs neither inside
 * another caller's transaction nor beside one. Nothing is thrown into PGlite's output callback (an
 * exception there would unwind through the database's own code): failures are thrown afterwards.
 */
export async function pgliteCopyOut(pglite: PGlite, query: string): Promise<Buffer[]> {
  return pglite.transaction(async () => {
    const batches: Buffer[] = [];
    const framer = new CopyOutFramer((rows) => batches.push(rows));
    let failure: unknown;
    const copy = simpleQuery(`COPY (${query}) TO STDOUT (FORMAT text, ENCODING 'UTF8')`);
    await pglite.execProtocolRawStream(copy, {
      syncToFs: false,
      onRawData: (data) => {
        try {
          if (failure === undefined) framer.write(data);
        } catch (err) {
          failure = err;
        }
      },
    });
    if (failure !== undefined) throw failure;
    if (framer.error) throw new Error(`COPY failed: ${framer.error}`);
    framer.flush();
    return batches;
  });
}
