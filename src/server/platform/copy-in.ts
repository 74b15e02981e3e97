import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseHandle } from './db.ts';

// COPY … FROM on both engines: the physical limit for loading rows. PostgreSQL takes a stream
// (pg-copy-streams); PGlite reads a blob from its '/dev/blob' device and holds it whole in memory,
// so it is fed in chunks of whole rows, each chunk its own statement.

/** Bytes of rows gathered before one PGlite COPY statement (bounds memory on the embedded engine). */
export const PGLITE_COPY_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Copies `source` into a table. `copySql` is the statement with `{source}` where `STDIN` or the blob
 * device goes, e.g. `COPY t (a, b) FROM {source} WITH (FORMAT text)`. On PGlite every chunk the
 * source yields must end at a row boundary (chunks are gathered up to PGLITE_COPY_CHUNK_BYTES before
 * each statement). Returns the number of rows copied.
 */
export async function copyIn(
  database: DatabaseHandle,
  copySql: string,
  source: AsyncIterable<Buffer | string>,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  if (database.pool) {
    const client = await database.pool.connect();
    let broken = false;
    try {
      const stream = client.query(copyFrom(copySql.replace('{source}', 'STDIN')));
      await pipeline(Readable.from(source), stream, { signal: options.signal });
      return stream.rowCount;
    } catch (err) {
      // A COPY cut off midway leaves the connection in an unknown protocol state: do not reuse it.
      broken = true;
      throw err;
    } finally {
      client.release(broken);
    }
  }
  const pglite = database.pglite;
  if (!pglite) throw new Error('copyIn: no database engine');
  const statement = copySql.replace('{source}', `'/dev/blob'`);
  let parts: (Buffer | string)[] = [];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (size === 0) return;
    const blob = new Blob(parts.map((p) => (typeof p === 'string' ? p : new Uint8Array(p))));
    parts = [];
    size = 0;
    // transaction(): the instance is held exclusively, so no other request's statements interleave.
    const result = await pglite.transaction((tx) => tx.query(statement, [], { blob }));
    rows += result.affectedRows ?? 0;
  };
  for await (const chunk of source) {
    options.signal?.throwIfAborted();
    parts.push(chunk);
    size += typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (size >= PGLITE_COPY_CHUNK_BYTES) await flush();
  }
  await flush();
  return rows;
}
