import { type RawBuilder, sql } from 'kysely';
import type { DictionaryColumn, SubjectKind } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeDelivery, ExchangeGrantState } from '../../platform/db-schema-exchange.ts';
import type { GroupBatcher } from '../../platform/group-batcher.ts';
import { runNamed, statementName } from '../../platform/sql-helpers.ts';
import type { DataResult } from './gateway.queries.ts';
import { type Projection, projectGrant } from './grant-projection.ts';

// What the gateway knows of a credential's grant, cached in memory for a second: the grant, the
// projection of its table (granted columns, masks, row filter, subject columns) and its data
// queries, compiled once. The cache is only ever a hint: every data query carries a guard that the
// grant is still active, unexpired and holds this credential, so a suspension, revocation, expiry
// or new credential stops data at once on every node, whatever the cache says.

const TTL_MS = 1000;
const MAX_QUERIES_PER_GRANT = 64;

export interface GatewayColumn {
  id: string;
  label: string;
  access: 'clear' | 'masked';
  type: string;
  subject: SubjectKind | undefined;
}

export interface GrantDefinition {
  id: string;
  credentialHash: string;
  datasetId: string;
  distributionId: string;
  ownerDepartmentId: string;
  granteeDepartmentId: string;
  systemName: string;
  purpose: string;
  rowFilter: Record<string, string>;
  rateLimitPerMinute: number;
  delivery: ExchangeDelivery;
  confidential: boolean;
  state: ExchangeGrantState;
  expiresAt: Date;
  titleZh: string;
  titleEn: string;
  /** Granted columns the holder receives; null when the table has no loaded version. */
  columns: GatewayColumn[] | null;
  /** Every dictionary column (to tell "not granted" from granted). */
  dictionary: Map<string, DictionaryColumn>;
  projection: Projection | null;
  queries: Map<string, PreparedQuery>;
  /** The lookups of concurrent calls, batched per key column (gateway.queries.ts). */
  lookups: Map<string, GroupBatcher<string, DataResult>>;
}

/** A data query compiled once; named parameters are filled in per call. */
export interface PreparedQuery {
  /** The server-side prepared statement's name on PostgreSQL (derived from the text). */
  name: string;
  sql: string;
  params: ({ name: string } | { value: unknown })[];
}

const SENTINEL = '\u0001civitas-param:';
/** A named parameter of a prepared query (see prepare). */
export const param = (name: string): RawBuilder<unknown> => sql`${SENTINEL + name}`;

/** Compiles `query` once; its param(name) placeholders are bound by run(). */
export function prepare(db: Db, query: RawBuilder<unknown>): PreparedQuery {
  const compiled = query.compile(db);
  return {
    name: statementName(compiled.sql),
    sql: compiled.sql,
    params: compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL) ? { name: p.slice(SENTINEL.length) } : { value: p },
    ),
  };
}

/**
 * Runs a prepared query with its named values: on PostgreSQL as a named statement, which each
 * connection parses and plans once instead of at every call (platform/sql-helpers.ts runNamed).
 */
export function run<R>(db: Db, q: PreparedQuery, values: Record<string, unknown>): Promise<R[]> {
  return runNamed<R>(
    db,
    q.name,
    q.sql,
    q.params.map((p) => ('name' in p ? values[p.name] : p.value)),
  );
}

/**
 * The guarded form every data query takes: one row with __grant_ok false when the grant may not be
 * read (the rows query then does not run), else the rows (or one all-null row when none matched).
 * Given `keys` (a from-item `k` with a column `i`), the rows query runs once per key, and every row
 * says its key's `i` as __key.
 */
export function guarded(
  inner: (ok: RawBuilder<unknown>) => RawBuilder<unknown>,
  keys?: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const keyed = keys ? sql`, k.i as "__key"` : sql``;
  return sql`with g as (
      select exists(select 1 from exchange_grants where id = ${param('grantId')}::uuid
        and credential_hash = ${param('credentialHash')} and state = 'active' and expires_at > now()) as ok)
    select g.ok as "__grant_ok"${keyed}, d.* from g ${keys ? sql`cross join ${keys} ` : sql``}left join lateral (${inner(sql`g.ok`)}) d on true${keys ? sql` order by k.i, d._id` : sql``}`;
}

/** A prepared query of the grant, compiled on first use under `key`. */
export function queryOf(db: Db, def: GrantDefinition, key: string, build: () => RawBuilder<unknown>) {
  let q = def.queries.get(key);
  if (!q) {
    if (def.queries.size >= MAX_QUERIES_PER_GRANT) def.queries.clear();
    q = prepare(db, build());
    def.queries.set(key, q);
  }
  return q;
}

interface Cached {
  def: GrantDefinition;
  loadedAt: number;
}

const cache = new Map<string, Cached>();

/** The grant a credential (by hash) belongs to, from the cache when fresh; undefined when unknown. */
export async function grantOfCredential(
  db: Db,
  credentialHash: string,
  options: { fresh?: boolean } = {},
): Promise<GrantDefinition | undefined> {
  const hit = options.fresh ? undefined : cache.get(credentialHash);
  if (hit && Date.now() - hit.loadedAt < TTL_MS) return hit.def;
  const def = await loadGrant(db, credentialHash);
  if (def) {
    if (cache.size > 10_000) cache.clear();
    cache.set(credentialHash, { def, loadedAt: Date.now() });
  } else cache.delete(credentialHash);
  return def;
}

/** Drops a grant from this node's cache (after a state change here; other nodes follow within a second). */
export function forgetGrant(grantId: string) {
  for (const [hash, c] of cache) if (c.def.id === grantId) cache.delete(hash);
}

async function loadGrant(db: Db, credentialHash: string): Promise<GrantDefinition | undefined> {
  const row = await db
    .selectFrom('exchange_grants as g')
    .innerJoin('catalog_datasets as d', 'd.id', 'g.dataset_id')
    .leftJoin('datastore_tables as t', 't.distribution_id', 'g.distribution_id')
    .select([
      'g.id',
      'g.dataset_id',
      'g.distribution_id',
      'g.owner_department_id',
      'g.grantee_department_id',
      'g.system_name',
      'g.purpose',
      'g.fields',
      'g.clear_fields',
      'g.row_filter',
      'g.rate_limit_per_minute',
      'g.delivery',
      'g.confidential',
      'g.state',
      'g.expires_at',
      'd.title_zh',
      'd.title_en',
      't.columns',
      't.current_version',
    ])
    .where('g.credential_hash', '=', credentialHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const dictionaryList = (row.columns ?? []) as DictionaryColumn[];
  const rowFilter = (row.row_filter ?? {}) as Record<string, string>;
  const loaded = row.current_version != null;
  const projection = loaded
    ? projectGrant(
        {
          distributionId: row.distribution_id,
          fields: row.fields,
          clearFields: row.clear_fields,
          rowFilter,
        },
        dictionaryList,
      )
    : null;
  const dictionary = new Map(dictionaryList.map((c) => [c.id, c]));
  return {
    id: row.id,
    credentialHash,
    datasetId: row.dataset_id,
    distributionId: row.distribution_id,
    ownerDepartmentId: row.owner_department_id,
    granteeDepartmentId: row.grantee_department_id,
    systemName: row.system_name,
    purpose: row.purpose,
    rowFilter,
    rateLimitPerMinute: row.rate_limit_per_minute,
    delivery: row.delivery,
    confidential: row.confidential,
    state: row.state,
    expiresAt: row.expires_at,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    columns: projection
      ? projection.columns.map((c) => {
          const d = dictionary.get(c.id)!;
          return { id: c.id, label: d.label, access: c.access, type: d.type, subject: d.subject };
        })
      : null,
    dictionary,
    projection,
    queries: new Map(),
    lookups: new Map(),
  };
}
