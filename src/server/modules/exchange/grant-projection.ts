import { type RawBuilder, sql } from 'kysely';
import type { DictionaryColumn, SubjectKind } from '../../../contracts/datastore.ts';
import { effectiveMask, liveTable, maskExpression } from '../datastore/index.ts';

// What a grant lets its holder read of a table, as SQL: the granted columns, each in clear or masked
// as the data dictionary says (a grant may name personal columns to be read in clear; secret
// columns never leave), the grant's row filter, and the data-subject columns the access log needs.
// The gateway and the file extracts read through the same projection, so both show the same values.

/** The parts of a grant the projection needs. */
export interface GrantScope {
  distributionId: string;
  fields: readonly string[];
  clearFields: readonly string[];
  rowFilter: Readonly<Record<string, string>>;
}

export interface ProjectedColumn {
  id: string;
  access: 'clear' | 'masked';
}

export interface Projection {
  /** The columns the holder receives, in dictionary order. */
  columns: ProjectedColumn[];
  /** Columns identifying data subjects, selected in clear as `__subject_<i>` for the log only. */
  subjects: { id: string; kind: SubjectKind; alias: string }[];
  /** `_id`, the granted columns and the subject columns. */
  select: RawBuilder<unknown>;
  /** The grant's row filter (true when it has none; false when it names a column the table lost). */
  where: RawBuilder<unknown>;
  from: RawBuilder<unknown>;
}

/** How a granted column is shown: secret never; personal masked unless the grant says clear. */
export function grantedAccess(
  column: DictionaryColumn,
  clearFields: readonly string[],
): 'clear' | 'masked' | null {
  switch (column.sensitivity) {
    case 'secret':
      return null;
    case 'personal':
      return clearFields.includes(column.id) ? 'clear' : 'masked';
    default:
      return 'clear';
  }
}

/** The projection of `grant` over a table whose dictionary is `dictionary`. */
export function projectGrant(grant: GrantScope, dictionary: readonly DictionaryColumn[]): Projection {
  const columns: ProjectedColumn[] = [];
  const parts: RawBuilder<unknown>[] = [sql`_id`];
  for (const column of dictionary) {
    if (!grant.fields.includes(column.id)) continue;
    const access = grantedAccess(column, grant.clearFields);
    if (!access) continue;
    columns.push({ id: column.id, access });
    // A bigint leaves as text, exact past 2^53 (the driver reads int8 as a double; see present()).
    parts.push(
      access === 'masked'
        ? sql`${maskExpression(sql.id(column.id), effectiveMask(column.mask))} as ${sql.id(column.id)}`
        : column.type === 'bigint'
          ? sql`${sql.id(column.id)}::text as ${sql.id(column.id)}`
          : sql`${sql.id(column.id)}`,
    );
  }
  const subjects = dictionary
    .filter((c): c is DictionaryColumn & { subject: SubjectKind } => !!c.subject)
    .map((c, i) => ({ id: c.id, kind: c.subject, alias: `__subject_${i}` }));
  for (const s of subjects) parts.push(sql`${sql.id(s.id)}::text as ${sql.id(s.alias)}`);
  const known = new Set(dictionary.map((c) => c.id));
  const filters = Object.entries(grant.rowFilter);
  // A filter on a column a later load dropped must narrow to nothing, never widen to every row.
  const where = filters.some(([id]) => !known.has(id))
    ? sql`false`
    : filters.length
      ? sql.join(
          filters.map(([id, value]) => sql`${sql.id(id)}::text = ${value}`),
          sql` and `,
        )
      : sql`true`;
  return { columns, subjects, select: sql.join(parts), where, from: liveTable(grant.distributionId) };
}
