// The part of pg-copy-streams that Civitas uses (the package ships no types): COPY TO for audit
// verification and DataStore dumps, COPY FROM for DataStore loads.
declare module 'pg-copy-streams' {
  import type { Readable, ReadableOptions, Writable, WritableOptions } from 'node:stream';
  import type { Connection } from 'pg';

  /** A `COPY … TO STDOUT` query: pass it to client.query(), then read the rows' bytes from it. */
  export interface CopyToStreamQuery extends Readable {
    submit(connection: Connection): void;
    rowCount: number;
  }

  export function to(text: string, options?: ReadableOptions): CopyToStreamQuery;

  /** A `COPY … FROM STDIN` query: pass it to client.query(), then write the rows' bytes into it. */
  export interface CopyFromStreamQuery extends Writable {
    submit(connection: Connection): void;
    rowCount: number;
  }

  export function from(text: string, options?: WritableOptions): CopyFromStreamQuery;
}
