import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { conditionsOf, type OrderKey, orderKeys, orderOf, outputOf, whereOf } from './query.service.ts';
import type { CheckedSearch } from './search-params.ts';

// The rows of a dump, read in pages of at most PAGE rows so that memory stays bounded whatever the
// size. Pages follow datastore_search's own filters, q and order (the same SQL helpers), and each
// page starts after the last row of the one before (keyset paging): an OFFSET would make the
// database read again every row already sent, page after page. No cursor either: it would hold a
// transaction (and on the embedded database its only connection) for as long as the client reads.

export const PAGE = 5000;

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
 * in its order, from its offset, at most `limit` of them (all when undefined), page by page.
 */
export async function* dumpPages(
  db: Db,
  relation: RawBuilder<unknown>,
  c: CheckedSearch,
  limit: number | undefined,
): AsyncIterable<Record<string, unknown>[]> {
  const keys = orderKeys(c);
  const select = sql.join([
    sql`_id`,
    ...c.fields.filter((f) => f.id !== '_id').map((f) => outputOf(f.id, f.type)),
  ]);
  const conditions = conditionsOf(c);
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  let after: number | null = null;
  while (remaining > 0) {
    const size = Math.min(PAGE, remaining);
    const where = whereOf(after === null ? conditions : [...conditions, afterRow(keys, relation, after)]);
    const skip: RawBuilder<unknown> = after === null && c.offset > 0 ? sql`offset ${c.offset}` : sql``;
    const page: { rows: Record<string, unknown>[] } = await sql<Record<string, unknown>>`
      select ${select} from ${relation} t ${where} ${orderOf(keys)} limit ${size} ${skip}`.execute(db);
    if (page.rows.length === 0) return;
    yield page.rows;
    if (page.rows.length < size) return;
    remaining -= page.rows.length;
    after = Number(page.rows[page.rows.length - 1]?._id);
  }
}
