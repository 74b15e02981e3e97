import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Db } from '../../platform/db.ts';
import { conditionsOf, orderKeys, orderOf, whereOf } from './query.service.ts';
import type { CheckedSearch } from './search-params.ts';

// CSV and TSV dumps on PostgreSQL through one `COPY (select …) TO STDOUT`: the database formats the
// rows (2–3× faster than formatting them in Node) in the same bytes as the paged path (dump-pages.ts
// and records-format.ts), which the embedded database and every other case keep:
// - each value is the text the driver gives the paged path (booleans `true`/`false` by ::text,
//   timestamps with a T, bigints and numerics as PostgreSQL writes them);
// - CSV: COPY quotes a field holding a comma, quote, CR or LF as records-format does, but writes an
//   empty text as "" (nullif makes it an empty field, as null), ends rows with \n, not \r\n, and does
//   not quote a tab: CsvRewriter puts the \r in and quotes the (rare) unquoted fields with a tab.
//   A lone column would have `\.` quoted too: dumps of one column take the paged path.
// - TSV: COPY's text format (tabs, CR and LF of text values already turned into spaces in the
//   select, as records-format does) backslash-escapes backslashes and \b \f \v: TsvUnescaper undoes it.
// A COPY holds its connection for as long as the client reads, so at most `copyDumpLimits.slots` of
// them run at once (a quarter of the pool by default; beyond, the paged path, which holds none
// between pages); the socket's backpressure slows the COPY down to the client's pace (memory stays
// bounded); a client that leaves, or reads nothing for `idleMs`, has the connection closed (the
// server ends the COPY when its socket goes: pg-copy-streams' COPY TO cannot be cancelled otherwise).

/** How many COPY dumps may run at once (undefined: a quarter of the pool) and how long one may wait for its client. */
export const copyDumpLimits: { slots: number | undefined; idleMs: number } = {
  slots: undefined,
  idleMs: 60_000,
};

let running = 0;
let started = 0;

/** COPY dumps running now in this process, and started since it began (for tests and metrics). */
export const copyDumpCounts = () => ({ running, started });

const slotsOf = (pool: pg.Pool) =>
  copyDumpLimits.slots ?? Math.max(1, Math.floor((pool.options.max ?? 10) / 4));

export interface CopyColumn {
  id: string;
  type: string;
  /** Text as the paged path writes it (text columns and masked ones): may be empty or hold tabs. */
  textual: boolean;
}

/**
 * The statement `COPY (select …) TO STDOUT` and the values of its conditions: COPY takes no bind
 * parameters, so each `$n` reads a transaction-local setting that is set, bound, just before.
 */
function copyStatement(
  db: Db,
  relation: RawBuilder<unknown>,
  c: CheckedSearch,
  limit: number | undefined,
  columns: readonly CopyColumn[],
  format: 'csv' | 'tsv',
) {
  const select = columns.map((col, i) => {
    const id = sql.id(col.id);
    const text = col.type === 'timestamp' ? sql`replace(${id}::text, ' ', 'T')` : sql`${id}::text`;
    const value = !col.textual
      ? text
      : format === 'csv'
        ? sql`nullif(${text}, '')`
        : // Three replaces: twice as fast as translate(), which walks every character.
          sql`replace(replace(replace(${text}, chr(9), ' '), chr(13), ' '), chr(10), ' ')`;
    // Named apart: `"x"::text` keeps the name x, and order by x would then sort the text.
    return sql`${value} as ${sql.id(`_dump_${i}`)}`;
  });
  const count = (n: number) => (Number.isSafeInteger(n) && n >= 0 ? n : 0);
  const query =
    sql`select ${sql.join(select)} from ${relation} t ${whereOf(conditionsOf(c))} ${orderOf(orderKeys(c))}
    ${sql.raw(limit === undefined ? '' : `limit ${count(limit)}`)} ${sql.raw(c.offset > 0 ? `offset ${count(c.offset)}` : '')}`.compile(
      db,
    );
  return { text: withSettings(query.sql), values: query.parameters };
}

/** `sql` with each `$n` outside quotes and identifiers read from the setting civitas.dump_n. */
function withSettings(text: string): string {
  return text.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'|\$(\d+)/g, (m, n: string | undefined) =>
    n === undefined ? m : `current_setting('civitas.dump_${n}')`,
  );
}

/**
 * The CSV or TSV rows (no header) of the dump by COPY when `pool` has a slot free for it, else
 * undefined (the caller takes the paged path). Resolves once the first bytes arrived, so that a
 * failing query answers with an error rather than a cut-off 200.
 */
export async function copyDumpRows(
  db: Db,
  pool: pg.Pool,
  relation: RawBuilder<unknown>,
  c: CheckedSearch,
  limit: number | undefined,
  columns: readonly CopyColumn[],
  format: 'csv' | 'tsv',
): Promise<AsyncIterable<Buffer> | undefined> {
  if (columns.length < 2 || running >= slotsOf(pool)) return undefined;
  running++;
  started++;
  const { text, values } = copyStatement(db, relation, c, limit, columns, format);
  let client: pg.PoolClient | undefined;
  let released = false;
  const release = (clean: boolean) => {
    if (released) return;
    released = true;
    running--;
    if (!client) return;
    if (!clean) {
      // Mid-COPY the connection cannot be reused: close its socket, and the server's send fails.
      client.on('error', () => undefined);
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
    client.release(!clean);
  };
  try {
    client = await pool.connect();
    await client.query('begin read only');
    if (values.length) {
      const sets = values.map((_, i) => `set_config('civitas.dump_${i + 1}', $${i + 1}::text, true)`);
      await client.query(`select ${sets.join(', ')}`, values as unknown[]);
    }
    const options =
      format === 'csv' ? "format csv, encoding 'UTF8'" : "format text, null '', encoding 'UTF8'";
    const stream = client.query(copyTo(`copy (${text}) to stdout with (${options})`));
    stream.on('error', () => undefined); // read by the iterator; later ones (after a close) are moot
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await chunks.next();
    // A body never read (the response failed before it started) must not hold the connection either.
    const unread = setTimeout(() => release(false), copyDumpLimits.idleMs);
    const begin = () => {
      clearTimeout(unread);
      if (released) throw new Error('Dump not read in time: connection closed');
    };
    const rewriter = format === 'csv' ? new CsvRewriter() : new TsvUnescaper();
    return rowsOf(client, chunks, first, rewriter, begin, release);
  } catch (err) {
    release(false);
    throw err;
  }
}

async function* rowsOf(
  client: pg.PoolClient,
  chunks: AsyncIterator<Buffer>,
  first: IteratorResult<Buffer>,
  rewriter: CsvRewriter | TsvUnescaper,
  begin: () => void,
  release: (clean: boolean) => void,
): AsyncIterable<Buffer> {
  let clean = false;
  let idle = false;
  try {
    begin();
    for (let next = first; !next.done; next = await chunks.next()) {
      const out = rewriter.push(next.value);
      if (out.length === 0) continue;
      // A client that stops reading must not hold the connection forever.
      const timer = setTimeout(() => {
        idle = true;
        release(false);
      }, copyDumpLimits.idleMs);
      try {
        yield out;
      } finally {
        clearTimeout(timer);
      }
      if (idle) throw new Error('Dump client idle too long: connection closed');
    }
    rewriter.end();
    await client.query('commit');
    clean = true;
  } finally {
    if (!clean) void chunks.return?.()?.catch(() => undefined);
    release(clean);
  }
}

const CR = 13;
const LF = 10;
const QUOTE = 34;
const COMMA = 44;
const TAB = 9;
const BACKSLASH = 92;
const QUOTE_BYTES = Buffer.from('"');
const COMMA_BYTES = Buffer.from(',');

/** COPY's CSV as records-format writes it: rows ending in \r\n, unquoted fields holding a tab quoted. */
export class CsvRewriter {
  private rest: Buffer | undefined;

  /** The complete rows of what has come so far (the rest waits for the next chunk). */
  push(chunk: Buffer): Buffer {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    // Ends of rows: line feeds outside quotes (COPY doubles quotes inside a quoted field).
    const ends: number[] = [];
    let inQuotes = false;
    let q = buf.indexOf(QUOTE);
    for (let n = buf.indexOf(LF); n !== -1; ) {
      if (q !== -1 && q < n) {
        inQuotes = !inQuotes;
        q = buf.indexOf(QUOTE, q + 1);
        continue;
      }
      if (!inQuotes) ends.push(n);
      n = buf.indexOf(LF, n + 1);
    }
    const used = ends.length ? (ends[ends.length - 1] as number) + 1 : 0;
    this.rest = used < buf.length ? Buffer.from(buf.subarray(used)) : undefined;
    // Rows holding a tab (rare) are rewritten field by field.
    const tabbed = new Map<number, Buffer>();
    let extra = 0;
    let start = 0;
    for (let t = buf.indexOf(TAB), i = 0; t !== -1 && t < used && i < ends.length; i++) {
      const end = ends[i] as number;
      if (t < end) {
        const row = quoteTabbed(buf.subarray(start, end));
        tabbed.set(i, row);
        extra += row.length - (end - start);
        t = buf.indexOf(TAB, end);
      }
      start = end + 1;
    }
    const out = Buffer.allocUnsafe(used + ends.length + extra);
    let o = 0;
    start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i] as number;
      const row = tabbed.get(i);
      o += row ? row.copy(out, o) : buf.copy(out, o, start, end);
      out[o++] = CR;
      out[o++] = LF;
      start = end + 1;
    }
    return out;
  }

  end(): void {
    if (this.rest?.length) throw new Error('COPY output ended inside a row');
  }
}

/** One CSV row of COPY's (no line end) with its unquoted fields that hold a tab quoted. */
function quoteTabbed(row: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; ; ) {
    let end: number;
    if (row[i] === QUOTE) {
      let j = i + 1;
      for (;;) {
        const k = row.indexOf(QUOTE, j);
        if (row[k + 1] === QUOTE) j = k + 2;
        else {
          end = k + 1;
          break;
        }
      }
      parts.push(row.subarray(i, end));
    } else {
      const k = row.indexOf(COMMA, i);
      end = k === -1 ? row.length : k;
      const field = row.subarray(i, end);
      parts.push(field.includes(TAB) ? Buffer.concat([QUOTE_BYTES, field, QUOTE_BYTES]) : field);
    }
    if (end >= row.length) break;
    parts.push(COMMA_BYTES);
    i = end + 1;
  }
  return Buffer.concat(parts);
}

const UNESCAPED: Record<number, number> = { 98: 8, 102: 12, 118: 11, 110: LF, 114: CR, 116: TAB };

/** COPY's text format as records-format writes TSV: its backslash escapes undone. */
export class TsvUnescaper {
  private pending = false;

  push(chunk: Buffer): Buffer {
    if (!this.pending && !chunk.includes(BACKSLASH)) return chunk;
    const out = Buffer.allocUnsafe(chunk.length);
    let o = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (this.pending) {
        out[o++] = UNESCAPED[b] ?? b;
        this.pending = false;
      } else if (b === BACKSLASH) this.pending = true;
      else out[o++] = b;
    }
    return out.subarray(0, o);
  }

  end(): void {
    if (this.pending) throw new Error('COPY output ended inside an escape');
  }
}
