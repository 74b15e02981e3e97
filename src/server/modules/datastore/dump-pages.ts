import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { conditionsOf, type OrderKey, orderKeys, orderOf, outputOf, whereOf } from './query.service.ts';
import type { CheckedSearch } from './search-params.ts';

// The rows of a dump, read in pages of at most PAGE rows so that memory stays bounded whatever the
// size. Pages follow datastore_search's own filters, q and order (the same SQL helpers), and each
// page starts after the last row of the one before (keyset paging): an OFFSET would make the
// database read again every row already sent, page after page. No cursor either: it would hold a
// transaction (and on the embedded database its only connection) for as long as the client reads.
// A dump in _id order walks the primary key page by page. A dump in another order would sort the
// matching rows again for every page (without an index on the sort, a scan of the whole table per
// page: quadratic), so it reads the sorted _ids once per ID_CHUNK rows instead, then the pages'
// rows by those _ids (primary-key lookups) in that order.

export const PAGE = 5000;

/** _ids a sorted dump reads per sort (a few MB of numbers: memory stays bounded, one sort per million rows). */
export const ID_CHUNK = 500_000;

/**
 * The condition "ordered after the row whose _id is `after`" for `keys`: the last row's values are
 * read back by _id in subqueries (run once per page), so they keep their column's type and masking.
 */
function afterRow(keys: readonly OrderKey[], relation: RawBuilder<unknown>, after: number) {
  const last = (id: string) => sql`(select ${sql.id(id)} from ${relation} l where _id = ${after})`;
  const alternatives: RawBuilder<unknown>[] = [];
  const equal: RawBuilder<unknown>[] = [];
  const all = (parts: RawBuilder<unknown>[]) => sql`(${sql.join(parts, sql` and `)})`;
  for (const key of keys) {
    const cmp = sql.raw(key.desc ? '<' : '>');
    if (key.id === '_id') {
      // _id is unique and never null: the keys after it never decide.
      alternatives.push(all([...equal, sql`_id ${cmp} ${after}`]));
      break;
    }
    const col = sql.id(key.id);
    const value = last(key.id);
    // Where the nulls go: PostgreSQL's default (last ascending, first descending) unless the sort says.
    const nullsFirst = (key.nulls ?? (key.desc ? 'first' : 'last')) === 'first';
    const beyond = nullsFirst
      ? sql`(${col} ${cmp} ${value} or (${value} is null and ${col} is not null))`
      : sql`(${value} is not null and (${col} ${cmp} ${value} or ${col} is null))`;
    alternatives.push(all([...equal, beyond]));
    equal.push(sql`${col} is not distinct from ${value}`);
  }
  return sql`(${sql.join(alternatives, sql` or `)})`;
}

/**
 * The rows of `relation` (a parenthesised select with `_id`) that the checked search `c` matches,
 * in its order, from its offset, at most `limit` of them (all when undefined), page by page. The
 * first page is read before this resolves, so that a failing query answers with an error rather
 * than a cut-off 200.
 */
export async function dumpPages(
  db: Db,
  relation: RawBuilder<unknown>,
  c: CheckedSearch,
  limit: number | undefined,
  idChunk = ID_CHUNK,
): Promise<AsyncIterable<Page>> {
  const reader = pageReader(db, relation, c, limit, idChunk);
  const first = await reader.next();
  return readAhead(reader, first);
}

type Page = Record<string, unknown>[];

/**
 * The pages of `reader` from `first`, each one asked for before the one before it is handed on: on
 * PostgreSQL the database reads the next page while Node writes this one out (two pages in memory
 * at most). Nothing is held between reads (no cursor, no transaction), so a client that leaves or
 * reads slowly keeps no connection.
 */
async function* readAhead(reader: AsyncIterator<Page>, first: IteratorResult<Page>): AsyncIterable<Page> {
  // Handled at once: a read that fails while the page before is being written must not count as
  // unhandled (which ends the process); it is thrown by the await that takes it.
  const ask = () => {
    const p = reader.next();
    p.catch(() => undefined);
    return p;
  };
  let next = Promise.resolve(first);
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = ask();
      yield page.value;
    }
  } finally {
    // The client left: end the reader once its read in flight is over (a failure of it is moot).
    void next.then(
      () => reader.return?.(),
      () => undefined,
    );
  }
}

async function* pageReader(
  db: Db,
  relation: RawBuilder<unknown>,
  c: CheckedSearch,
  limit: number | undefined,
  idChunk: number,
): AsyncGenerator<Page> {
  const keys = orderKeys(c);
  // The fields in their order, so that a row holds its keys as the dump lists them; _id first when
  // not among them (the pages need it), for the writer to leave out.
  const fields = c.fields.map((f) => outputOf(f.id, f.type));
  const select = sql.join(c.fields.some((f) => f.id === '_id') ? fields : [sql`_id`, ...fields]);
  const conditions = conditionsOf(c);
  const byId = keys.every((k) => k.id === '_id');
  // In _id order the page itself is read by keyset; otherwise the sorted _ids, then their rows.
  const chunk = byId ? PAGE : idChunk;
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  let after: number | null = null;
  while (remaining > 0) {
    const size = Math.min(chunk, remaining);
    const where = whereOf(after === null ? conditions : [...conditions, afterRow(keys, relation, after)]);
    const skip: RawBuilder<unknown> = after === null && c.offset > 0 ? sql`offset ${c.offset}` : sql``;
    if (byId) {
      const page: { rows: Page } = await sql<Record<string, unknown>>`
        select ${select} from ${relation} t ${where} ${orderOf(keys)} limit ${size} ${skip}`.execute(db);
      const n = page.rows.length;
      if (n === 0) return;
      // Taken before the page is handed on: its writer may change the rows.
      after = Number(page.rows[n - 1]?._id);
      yield page.rows;
      if (n < size) return;
      remaining -= n;
      continue;
    }
    const sorted = await sql<{ _id: number | string }>`
      select _id from ${relation} t ${where} ${orderOf(keys)} limit ${size} ${skip}`.execute(db);
    const ids = sorted.rows.map((r) => Number(r._id));
    for (let at = 0; at < ids.length; at += PAGE) {
      // The page's rows in the order of its _ids (column ids never start with "_": no name clash).
      const page: { rows: Page } = await sql<Record<string, unknown>>`
        select ${select} from ${relation} t
        join unnest(cast(${ids.slice(at, at + PAGE)} as bigint[])) with ordinality u(_dump_id, _dump_at)
          on t._id = u._dump_id
        order by u._dump_at`.execute(db);
      if (page.rows.length) yield page.rows;
    }
    if (ids.length < size) return;
    remaining -= ids.length;
    after = ids[ids.length - 1] ?? null;
  }
}
