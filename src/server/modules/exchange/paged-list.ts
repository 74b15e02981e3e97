import { type SelectQueryBuilder, sql } from 'kysely';
import { pathWithinSql } from '../../platform/sql-helpers.ts';

// What the exchange's lists of requests and grants share: which side of an exchange the caller looks
// from, and reading one page with the total of all pages.

/** The departments whose requests or grants a caller lists, and from which side. */
export interface SideScope {
  /** Every row (platform admins); otherwise only those touching `roots`' subtrees. */
  all: boolean;
  roots: readonly string[];
  /** incoming: the owner department (`o`) is within the roots; outgoing: the other party (`q`). */
  side?: 'incoming' | 'outgoing' | undefined;
}

/** Keeps the rows of `q` (joined with departments `o`, the owner, and `q`, the other party) the scope sees. */
export function whereSide<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  f: SideScope,
): SelectQueryBuilder<DB, TB, O> {
  const incoming = f.all ? sql<boolean>`true` : pathWithinSql('o.path', f.roots);
  const outgoing = f.all ? sql<boolean>`true` : pathWithinSql('q.path', f.roots);
  if (f.side === 'incoming') return q.where(incoming);
  if (f.side === 'outgoing') return q.where(outgoing);
  if (!f.all) return q.where(sql<boolean>`(${incoming} or ${outgoing})`);
  return q;
}

/** Counts the rows of the filtered query `q`, then reads `limit` of them from `offset` in `order`. */
export async function readPage<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  order: (q: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>,
  page: { limit: number; offset: number },
): Promise<{ rows: O[]; total: number }> {
  const counted = q.clearSelect().select(sql<string>`count(*)`.as('n'));
  // Kysely cannot resolve the result type of a query generic in its tables; it is the one column.
  const { n } = (await counted.executeTakeFirstOrThrow()) as { n: string | number };
  const rows = await order(q).limit(page.limit).offset(page.offset).execute();
  return { rows, total: Number(n) };
}
