import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';

// Where a distribution's rows live. Names are built from UUIDs and small integers only, never from
// user input, and always quoted.

export const DATASTORE_SCHEMA = 'datastore';
export const STAGING_SCHEMA = 'datastore_staging';
export const MASKED_SCHEMA = 'datastore_masked';

/** The live view of a distribution's current version (what CKAN callers name by resource id). */
export const liveName = (distributionId: string) => distributionId;
/** One version's table. */
export const versionName = (distributionId: string, version: number) => `${distributionId}@${version}`;

export const liveTable = (distributionId: string) => sql.id(DATASTORE_SCHEMA, liveName(distributionId));
export const versionTable = (distributionId: string, version: number) =>
  sql.id(DATASTORE_SCHEMA, versionName(distributionId, version));
export const maskedView = (distributionId: string) => sql.id(MASKED_SCHEMA, distributionId);
export const stagingTable = (loadId: string) => sql.id(STAGING_SCHEMA, loadId);

/** A double-quoted identifier for SQL written as text (COPY statements). */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/** The staging table's columns: `_row`, then c1 … cN (all text). */
export const stagingColumn = (index: number) => `c${index + 1}`;
export const stagingColumns = (count: number) => Array.from({ length: count }, (_, i) => stagingColumn(i));

/** A column of a typed table. */
export const col = (id: string): RawBuilder<unknown> => sql.id(id);

/** The index of one column of one version (short and unique: PostgreSQL names are ≤ 63 bytes). */
export const columnIndexName = (distributionId: string, version: number, columnId: string) =>
  `ix_${distributionId.replaceAll('-', '').slice(0, 16)}_${version}_${createHash('sha256').update(columnId).digest('hex').slice(0, 12)}`;
