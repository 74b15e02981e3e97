// The part of pg-copy-streams that audit verification uses (the package ships no types).
declare module 'pg-copy-streams' {
  import type { Readable, ReadableOptions } from 'node:stream';
  import type { Connection } from 'pg';

  /** A `COPY … TO STDOUT` query: pass it to client.query(), then read the rows' bytes from it. */
  export interface CopyToStreamQuery extends Readable {
    submit(connection: Connection): void;
    rowCount: number;
  }

  export function to(text: string, options?: ReadableOptions): CopyToStreamQuery;
}
