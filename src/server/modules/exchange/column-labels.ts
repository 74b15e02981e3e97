import { sql } from 'kysely';
import type { ColumnLabel } from '../../../contracts/exchange.ts';

// Requests, grants and access-log rows name columns by id; screens show the data dictionary's
// labels (Chinese, and English where the steward gave one). Read from the table's dictionary in
// the same query, in dictionary order; a column no longer in the dictionary has no label.

/**
 * The labels of the columns in `fields` (a text[] column) of the DataStore table of `distribution`
 * (a uuid column): `[{ id, label, labelEn? }]`.
 */
export const columnLabelsOf = (distribution: string, fields: string) =>
  sql<ColumnLabel[]>`coalesce((
    select jsonb_agg(
      jsonb_strip_nulls(jsonb_build_object('id', c.col->>'id', 'label', c.col->>'label', 'labelEn', c.col->>'labelEn'))
      order by c.ord)
    from datastore_tables dt
    cross join lateral jsonb_array_elements(dt.columns) with ordinality as c(col, ord)
    where dt.distribution_id = ${sql.ref(distribution)} and c.col->>'id' = any(${sql.ref(fields)})
  ), '[]'::jsonb)`;
