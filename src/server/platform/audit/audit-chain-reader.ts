import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Db } from '../db.ts';
import { recomputedHash } from './audit-chain-walk.ts';
import { CHAIN_COLUMNS, CopyChainParser, type EntryVisitor } from './audit-copy-rows.ts';
import { type StoredFields, storedBody } from './audit-hash.ts';
import { pgliteCopyOut } from './audit-pglite-copy.ts';

export type { EntryVisitor } from './audit-copy-rows.ts';

// The readers that feed verification the chained entries in sequence order, each with its stored
// links and the hash recomputed in Node from its stored columns. Three ways to the same rows: COPY
// streamed over the wire (PostgreSQL), COPY from PGlite's protocol stream, and plain queries (when
// only a Kysely handle is at hand). COPY skips the per-row, per-column decoding of query results,
// which is most of what verification costs once hashing is cheap.

// Only integers we computed are spliced in (COPY takes no bind parameters).
export const chainQuery = (from: number, limit?: number) =>
  `select ${CHAIN_COLUMNS} from audit_log where seq >= ${Math.trunc(from)} order by seq` +
  (limit === undefined ? '' : ` limit ${Math.trunc(limit)}`);

/**
 * PostgreSQL: the whole chain in one COPY … TO STDOUT, streamed on a client of its own. One
 * statement reads one snapshot, and the server writes the next rows while Node hashes these (the
 * socket's backpressure keeps memory bounded however long the log).
 */
export async function readChainByCopyStream(pool: pg.Pool, visit: EntryVisitor): Promise<void> {
  const client = await pool.connect();
  // A COPY left unfinished leaves the connection mid-protocol: such a client is closed, not reused.
  let reusable = false;
  try {
    const stream = client.query(copyTo(`COPY (${chainQuery(1)}) TO STDOUT (FORMAT text, ENCODING 'UTF8')`));
    const parser = new CopyChainParser(visit);
    for await (const chunk of stream) {
      if (!parser.push(chunk as Buffer)) return; // leaving the loop destroys the stream
    }
    parser.end();
    reusable = true;
  } finally {
    client.release(!reusable);
  }
}

/**
 * Rows per COPY on PGlite: each runs in a transaction of its own, which holds PGlite meanwhile
 * (~0.15 s, ~20 MB). Measured: 50,000 verify at ~330,000 entries/s where 20,000 gave ~294,000.
 */
export const PGLITE_COPY_ROWS = 50_000;

/**
 * PGlite: COPY … TO STDOUT read from PGlite's protocol stream (see pgliteCopyOut), far cheaper than
 * PGlite's decoding of result rows into objects. Chunked by sequence number, so that memory stays
 * bounded, other work gets its turn at the embedded database between chunks, and a break found
 * early ends the reading soon.
 */
export async function readChainByPgliteCopy(pglite: PGlite, visit: EntryVisitor): Promise<void> {
  let rows = 0;
  let lastSeq = 0;
  // One parser across the chunks: each chunk's first row links to the previous chunk's last.
  const parser = new CopyChainParser((seq, prevHash, hash, recomputed) => {
    rows++;
    lastSeq = seq;
    return visit(seq, prevHash, hash, recomputed);
  });
  for (let from = 1; ; from = lastSeq + 1) {
    rows = 0;
    // Hashed after the COPY's transaction, which holds PGlite: other work gets its turn meanwhile.
    for (const batch of await pgliteCopyOut(pglite, chainQuery(from, PGLITE_COPY_ROWS))) {
      if (!parser.push(batch)) return;
    }
    parser.end();
    if (rows < PGLITE_COPY_ROWS) return;
  }
}

/** What the query reader reads of a chained entry: text only, so nothing needs parsing. */
export interface ChainRow {
  seq: number;
  prev_hash: string;
  hash: string;
  at_iso: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  department_id: string | null;
  details: string;
  ip: string | null;
  request_id: string | null;
}

// Big pages amortise round trips; the next page is fetched while this one is hashed.
export const PAGE = 10_000;

export const fetchChainPage = async (db: Db, from: number): Promise<ChainRow[]> =>
  (await sql<ChainRow>`${sql.raw(chainQuery(from, PAGE))}`.execute(db)).rows;

export const storedFieldsOf = (row: ChainRow): StoredFields => ({
  atIso: row.at_iso,
  actorId: row.actor_id,
  actorLabel: row.actor_label,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  departmentId: row.department_id,
  detailsJson: row.details,
  ip: row.ip,
  requestId: row.request_id,
});

/** Any engine, through Kysely: pages of plain query results. */
export async function readChainByQuery(db: Db, visit: EntryVisitor): Promise<void> {
  let pending = fetchChainPage(db, 1);
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    if (rows.length === PAGE && last) {
      pending = fetchChainPage(db, last.seq + 1);
      pending.catch(() => {}); // awaited on the next turn; a failure there is reported there
    }
    for (const row of rows) {
      const recomputed = recomputedHash(row.prev_hash, row.seq, storedBody(storedFieldsOf(row)));
      if (!visit(row.seq, row.prev_hash, row.hash, recomputed)) return;
    }
    if (rows.length < PAGE) return;
  }
}
